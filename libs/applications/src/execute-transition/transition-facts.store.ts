import { Actor, ApplicationFacts, FactNeed, LifecycleCommand } from '@sg/domain';
import { ApplicationEntity, MonitoringReportEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { declaredConflict } from '../conflicts/conflict-declarations.store';
import { submissionProblems } from '../forms/application-forms';
import { reportSubmission } from '../reports/monitoring-reports';

type FactLoader = (
  m: EntityManager,
  actor: Actor,
  app: ApplicationEntity,
  command: LifecycleCommand,
) => Promise<Partial<ApplicationFacts>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The facts only some actions need, each read by its own statements, named by the rule's `needs`. */
const LOADERS: Record<FactNeed, FactLoader> = {
  /** The actor's latest conflict-of-interest declaration on the application. */
  declaration: async (m, actor, app) => ({ actorDeclaration: await declaredConflict(m, app.id, actor.userId) }),
  /** Whether the decider assessed it, with the fund's rule: one statement. */
  decider: async (m, actor, app) => {
    const [row] = await m.query(
      `SELECT f.approver_may_be_assessor, a.assessed_by
       FROM funds f LEFT JOIN assessments a ON a.application_id = $2 WHERE f.id = $1`,
      [app.fundId, app.id],
    );
    if (!row) return {};
    return {
      decider: {
        assessedIt: row.assessed_by !== null && row.assessed_by === actor.userId,
        fundAllowsAssessorToDecide: row.approver_may_be_assessor === true,
      },
    };
  },
  /** Who last asked for the commanded payment's release, since it was scheduled (its request events). */
  'release-request': async (m, actor, app, command) => {
    const id = command.paymentId;
    if (typeof id !== 'string' || !UUID.test(id)) return { releaseRequest: 'none' };
    const [row] = await m.query(
      `SELECT e.actor_user_id FROM events e
       WHERE e.application_id = $1 AND e.action = 'request-payment-release' AND e.data->>'paymentId' = $2
       ORDER BY e.id DESC LIMIT 1`,
      [app.id, id],
    );
    return { releaseRequest: !row ? 'none' : row.actor_user_id === actor.userId ? 'actor' : 'another' };
  },
  /** A fund with a rubric needs its assessment scored, and countersigned when required. */
  'assessment-readiness': async (m, _actor, app) => {
    const [fund] = await m.query('SELECT rubric_key FROM funds WHERE id = $1', [app.fundId]);
    if (!fund?.rubric_key) return { assessmentReadiness: 'ready' };
    const [a] = await m.query(
      'SELECT countersign_required, countersigned_by FROM assessments WHERE application_id = $1',
      [app.id],
    );
    if (!a) return { assessmentReadiness: 'not_scored' };
    return { assessmentReadiness: a.countersign_required && !a.countersigned_by ? 'not_countersigned' : 'ready' };
  },
  'submission-problems': async (m, _actor, app) => ({
    submissionProblems: (await submissionProblems(m, app)).map((p) => ({ field: p.field, message: p.message })),
  }),
  /** The report named by the command, judged on its form (a report without a form gives no fact). */
  'report-form': async (m, _actor, app, command) => {
    const id = command.reportId;
    const report =
      typeof id === 'string' && UUID.test(id)
        ? await m.getRepository(MonitoringReportEntity).findOneBy({ id, applicationId: app.id })
        : null;
    const submission = report ? await reportSubmission(m, report) : null;
    if (!report || !submission) return {};
    return {
      reportForm: {
        reportId: report.id,
        problems: submission.problems,
        narrative: submission.narrative,
        spendToDatePence: submission.spendToDatePence,
      },
    };
  },
};

/** Loads the named facts, in the order named. */
export async function loadNeededFacts(
  m: EntityManager,
  actor: Actor,
  app: ApplicationEntity,
  command: LifecycleCommand,
  needs: readonly FactNeed[],
): Promise<Partial<ApplicationFacts>> {
  let facts: Partial<ApplicationFacts> = {};
  for (const need of needs) facts = { ...facts, ...(await LOADERS[need](m, actor, app, command)) };
  return facts;
}
