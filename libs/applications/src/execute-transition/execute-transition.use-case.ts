import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import {
  Actor,
  addIsoDuration,
  Clock,
  decideTransition,
  isLifecycleAction,
  LifecycleCommand,
  londonDate,
  MONEY_COMMITTING_ACTIONS,
  MoneyFacts,
  Refusal,
  Transition,
  UseCaseError,
  UseCaseErrorKind,
} from '@sg/domain';
import { OutboxRelay } from '@sg/jobs';
import { enqueueNotifications } from '@sg/notifications';
import {
  ApplicationEntity,
  FundEntity,
  hydrate,
  MonitoringReportEntity,
  PG_CHECK_VIOLATION,
  pgConstraint,
  pgErrorCode,
  storedBalances,
} from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { submissionProblems } from '../forms/application-forms';
import {
  checkConditionSpecs,
  ConditionSpec,
  decisionRefusal,
  recordAwardConditions,
} from '../conditions/award-conditions';
import { assessmentNotReady } from '../assessment/assess-application.use-case';
import { organisationGroupAwardedSql, recordEligibility } from '../assessment/eligibility-at-submission';
import { applicationFacts, fundRules } from '../application-facts';
import { reportFormFor, reportSubmission } from '../reports/monitoring-reports';

const REFUSAL_KIND: Record<Refusal['code'], UseCaseErrorKind> = {
  unknown_action: 'not_found',
  not_allowed_in_state: 'conflict',
  role_not_permitted: 'forbidden',
  invalid_command: 'unprocessable',
  money_facts_missing: 'unprocessable',
  exceeds_requested_amount: 'unprocessable',
  exceeds_fund_available: 'unprocessable',
  exceeds_organisation_cap: 'unprocessable',
  payment_not_found: 'unprocessable',
  payment_not_scheduled: 'conflict',
  report_not_found: 'unprocessable',
  report_not_open: 'conflict',
  report_not_submitted: 'conflict',
  clawback_exceeds_disbursed: 'unprocessable',
  return_exceeds_underspend: 'unprocessable',
  no_underspend: 'conflict',
  underspend_unresolved: 'conflict',
  conditions_unmet: 'unprocessable',
  report_overdue: 'conflict',
};

/** A lifecycle command, plus the approval's conditions as tracked records. */
export type TransitionCommand = LifecycleCommand & { conditionDetails?: ConditionSpec[] };

export interface TransitionDone {
  applicationId: string;
  eventId: number;
  from: string;
  to: string;
  version: number;
}

/**
 * Runs one lifecycle action as one transaction (DESIGN §3): the machine decides; then a
 * conditional UPDATE on (id, state, version) that must touch exactly one row, the event, the
 * ledger entries with the fund's balances, payments and reports, notifications and outbox rows.
 * Anything that commits money locks the fund row before the machine decides, so concurrent approvals are serialised
 * and checked against the balances they will actually change.
 */
@Injectable()
export class ExecuteTransitionUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    applicationId: string,
    action: string,
    command: TransitionCommand,
    expectedVersion?: number,
  ): Promise<TransitionDone> {
    if (!isLifecycleAction(action))
      throw new UseCaseError('not_found', 'unknown_action', `There is no action called "${action}"`);
    let done: TransitionDone;
    try {
      // READ COMMITTED, PostgreSQL's default: not named, which would cost a statement per transaction.
      done = await this.dataSource.transaction((m) =>
        this.inTransaction(m, actor, applicationId, action, command, expectedVersion),
      );
    } catch (err) {
      // The fund row's CHECKs are the last line of defence; reaching them means a race we lost.
      if (pgErrorCode(err) === PG_CHECK_VIOLATION && pgConstraint(err)?.startsWith('funds_')) {
        throw new UseCaseError(
          'conflict',
          'fund_balance_changed',
          'The fund balance changed while this was being done; nothing was changed, try again',
        );
      }
      throw err;
    }
    this.relay.nudge();
    return done;
  }

  private async inTransaction(
    m: EntityManager,
    actor: Actor,
    applicationId: string,
    action: string,
    input: TransitionCommand,
    expectedVersion: number | undefined,
  ): Promise<TransitionDone> {
    const { conditionDetails, ...plain } = input;
    const details = action === 'approve' ? (conditionDetails ?? []) : [];
    const specProblems = checkConditionSpecs(details);
    if (specProblems.length > 0)
      throw new UseCaseError('invalid', 'validation_failed', 'The conditions need correcting', specProblems);
    // The machine sees every condition's text; the tracked records keep the rest.
    const command: LifecycleCommand =
      details.length > 0
        ? { ...plain, conditions: [...(plain.conditions ?? []), ...details.map((d) => d.text)] }
        : plain;
    const loaded = await this.access.loadVisibleWithDetails(m, actor, applicationId);
    let app = loaded.app;
    const checkExpectedVersion = () => {
      if (expectedVersion !== undefined && expectedVersion !== app.version) {
        throw new UseCaseError(
          'conflict',
          'stale_version',
          `The application has changed (version ${app.version}, not ${expectedVersion}); reload it and try again`,
        );
      }
    };
    checkExpectedVersion();
    let facts = applicationFacts(app, loaded.details, londonDate(this.clock.now()));
    // Read now, judged after the machine (whose refusals come first): nothing here is money.
    let refusal = action === 'approve' || action === 'reject' ? await decisionRefusal(m, actor, app) : null;
    // The fund is locked only now, when money moves, so that rival approvals in the same fund wait for
    // as little as possible. Under the lock are read what rivals change: the fund's balances, the
    // organisation's awards and the application's version. If a rival moved the application while
    // we waited, it is read again, so that the machine judges the state the rival left.
    const commitsMoney = (MONEY_COMMITTING_ACTIONS as readonly string[]).includes(action);
    const fund = await this.fund(m, app.fundId, commitsMoney);
    let money: MoneyFacts | undefined;
    if (commitsMoney) {
      const underLock = await this.moneyFacts(m, fund, app);
      money = underLock.money;
      if (underLock.applicationVersion !== app.version) {
        const again = await this.access.loadVisibleWithDetails(m, actor, applicationId);
        app = again.app;
        checkExpectedVersion();
        facts = applicationFacts(app, again.details, londonDate(this.clock.now()));
        refusal = action === 'approve' ? await decisionRefusal(m, actor, app) : null;
      }
    }

    const decision = decideTransition({
      state: app.state,
      role: actor.role,
      action,
      context: { application: facts, fund: fundRules(fund), money },
      command: action === 'submit-report' ? await this.reportCommand(m, app, command) : command,
    });
    if (!decision.ok) {
      throw new UseCaseError(
        REFUSAL_KIND[decision.code],
        decision.code,
        decision.message,
        decision.field ? [{ field: decision.field, message: decision.message }] : [],
      );
    }
    if (refusal) throw refusal;
    if (action === 'complete-assessment') {
      const notReady = await assessmentNotReady(m, app);
      if (notReady) throw notReady;
    }
    if (action === 'submit') {
      // The form decides what complete means; every problem is listed so it can all be fixed at once.
      const problems = await submissionProblems(m, app);
      if (problems.length > 0) {
        throw new UseCaseError(
          'unprocessable',
          'application_incomplete',
          'The application is not complete yet',
          problems.map((p) => ({ field: p.field, message: p.message })),
        );
      }
    }
    const now = this.clock.now();
    const { version, eventId } = await this.moveAndRecord(m, actor, app, decision, now, fund);
    if (action === 'submit') await recordEligibility(m, app, fund, now);
    if (action === 'approve') {
      const specs: ConditionSpec[] = [
        ...(plain.conditions ?? []).filter((c) => typeof c === 'string' && c.trim() !== '').map((text) => ({ text })),
        ...details,
      ];
      await recordAwardConditions(m, app.id, specs, now);
    }
    await this.applyPaymentsAndReports(m, app, decision, now);
    await enqueueNotifications(
      m,
      {
        eventId,
        applicationId: app.id,
        fundId: app.fundId,
        organisationId: app.organisationId,
        areaCode: app.areaCode,
      },
      decision.notifications,
    );
    return { applicationId: app.id, eventId, from: decision.from, to: decision.to, version };
  }

  /**
   * The cap counts the awards of the real organisation: this one and every organisation flagged as
   * its duplicate, so a second account for the same group cannot lift the per-organisation cap.
   * Read under the fund lock, which serialises approvals in the fund, so the sum cannot change
   * under us; with it, in the same statement, the application's current version.
   */
  private async moneyFacts(
    m: EntityManager,
    fund: FundEntity,
    app: ApplicationEntity,
  ): Promise<{ money: MoneyFacts; applicationVersion: number }> {
    const [row] = await m.query(
      `SELECT ${organisationGroupAwardedSql('$1', '$2')} AS awarded, (SELECT version FROM applications WHERE id = $3) AS version`,
      [fund.id, app.organisationId, app.id],
    );
    return {
      money: {
        grantablePence: fund.grantablePence,
        maxPerOrganisationPence: fund.maxPerOrganisationPence,
        organisationAwardedPence: Number(row.awarded),
        balances: storedBalances(fund),
      },
      applicationVersion: row.version,
    };
  }

  /**
   * A report answered on its form is submitted from its stored answers: the whole form must be
   * complete (every problem listed), and the machine records the narrative and spend it gives.
   */
  private async reportCommand(
    m: EntityManager,
    app: ApplicationEntity,
    command: LifecycleCommand,
  ): Promise<LifecycleCommand> {
    const id = command.reportId;
    const report =
      typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
        ? await m.getRepository(MonitoringReportEntity).findOneBy({ id, applicationId: app.id })
        : null;
    const submission = report ? await reportSubmission(m, report) : null;
    if (!report || !submission) return command;
    // Let the machine refuse what is not open; only an open report is judged for completeness.
    if (submission.problems.length > 0 && ['due', 'returned'].includes(report.state) && app.state === 'active') {
      throw new UseCaseError(
        'unprocessable',
        'report_incomplete',
        'The report is not complete yet',
        submission.problems,
      );
    }
    return { ...command, narrative: submission.narrative, spendToDatePence: submission.spendToDatePence };
  }

  /** The application's fund, locked (FOR UPDATE) when the action moves money. */
  private async fund(m: EntityManager, fundId: string, lock: boolean): Promise<FundEntity> {
    const [row] = await m.query(`SELECT * FROM funds WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [fundId]);
    if (!row) throw UseCaseError.notFound('The fund');
    return hydrate(m, FundEntity, row);
  }

  /**
   * The conditional update with everything that hangs on it, in one statement (data-modifying
   * CTEs): the update must touch exactly one row (or someone else moved the application first, and
   * nothing at all is written); the event, the ledger entries with the fund's stored balances, and
   * the transition's jobs are written only if it did. Under the fund lock, every round trip is time
   * a rival approval in the same fund waits.
   */
  private async moveAndRecord(
    m: EntityManager,
    actor: Actor,
    app: ApplicationEntity,
    d: Transition,
    now: Date,
    fund: FundEntity,
  ): Promise<{ version: number; eventId: number }> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const [id, fundId, at] = [p(app.id), p(app.fundId), p(now)];
    const sets: string[] = [`state = ${p(d.to)}`, 'version = version + 1', `updated_at = ${at}`];
    if (d.to !== d.from) sets.push(`state_changed_at = ${at}`);
    const set = (column: string, value: unknown) => sets.push(`${column} = ${p(value)}`);
    if (d.patch.awardedPence !== undefined) set('awarded_pence', d.patch.awardedPence);
    if (d.patch.conditions !== undefined) set('conditions', JSON.stringify(d.patch.conditions));
    if (d.patch.returnToState !== undefined) set('return_to_state', d.patch.returnToState);
    if (d.patch.underspendWaived !== undefined) set('underspend_waived', d.patch.underspendWaived);
    const disbursed = sumOf(d, 'disbursement');
    const returned = sumOf(d, 'return');
    if (disbursed > 0) set('disbursed_pence', app.disbursedPence + disbursed);
    if (returned > 0) set('returned_pence', app.returnedPence + returned);
    if (d.to === 'submitted' && d.from === 'draft') set('submitted_at', now);
    if (d.event.action === 'approve' || d.event.action === 'reject') set('decided_at', now);
    if (d.event.action === 'approve') set('offer_expires_at', addIsoDuration(now, fund.offerValidFor));
    if (d.event.action === 'accept-offer') set('accepted_at', now);
    const ctes = [
      `moved AS (UPDATE applications SET ${sets.join(', ')} WHERE id = ${id} AND state = ${p(app.state)} AND version = ${p(app.version)} RETURNING version)`,
      `recorded AS (INSERT INTO events (fund_id, application_id, action, from_state, to_state, actor_user_id, actor_role, reason, data, created_at)
         SELECT ${fundId}, ${id}, ${p(d.event.action)}, ${p(d.from)}, ${p(d.to)}, ${p(actor.role === 'system' ? null : actor.userId)}, ${p(actor.role)}, ${p(d.event.reason)}, ${p(d.event.data)}, ${at}
         FROM moved RETURNING id)`,
    ];
    if (d.ledger.length > 0) {
      const committed = sumOf(d, 'commitment') - sumOf(d, 'release') - disbursed;
      ctes.push(
        `entries AS (INSERT INTO ledger_entries (fund_id, application_id, organisation_id, event_id, kind, amount_pence)
           SELECT ${fundId}, ${id}, ${p(app.organisationId)}, recorded.id, e.kind, e.amount
           FROM recorded, unnest(${p(d.ledger.map((e) => e.kind))}::text[], ${p(d.ledger.map((e) => e.amountPence))}::bigint[]) AS e(kind, amount))`,
        `balances AS (UPDATE funds SET committed_pence = committed_pence + ${p(committed)}, disbursed_pence = disbursed_pence + ${p(disbursed)},
           returned_pence = returned_pence + ${p(returned)}, version = version + 1, updated_at = now()
           WHERE id = ${fundId} AND EXISTS (SELECT 1 FROM recorded))`,
      );
    }
    if (d.jobs.length > 0) {
      const fundText = p(app.fundId);
      ctes.push(
        `jobs AS (INSERT INTO outbox (queue, job_name, job_id, payload)
           SELECT j.queue, j.name, j.name || '-' || ${fundText}::text || '-' || recorded.id, jsonb_build_object('fundId', ${fundText}::text)
           FROM recorded, unnest(${p(d.jobs.map((j) => j.queue))}::text[], ${p(d.jobs.map((j) => j.name))}::text[]) AS j(queue, name))`,
      );
    }
    const rows: { version: number; event_id: number }[] = await m.query(
      `WITH ${ctes.join(',\n')} SELECT moved.version, recorded.id AS event_id FROM moved, recorded`,
      params,
    );
    if (rows.length !== 1) {
      throw new UseCaseError(
        'conflict',
        'concurrent_change',
        'Someone else changed this application at the same moment; nothing was changed, reload and try again',
      );
    }
    return { version: rows[0].version, eventId: rows[0].event_id };
  }

  private async applyPaymentsAndReports(
    m: EntityManager,
    app: ApplicationEntity,
    d: Transition,
    now: Date,
  ): Promise<void> {
    const today = londonDate(now);
    for (const p of d.payments) {
      if (p.op === 'schedule') {
        // A tranche paid on acceptance is payable today; a later one waits, undated, for its trigger.
        const now = p.trigger === 'on_acceptance';
        await m.query(
          `INSERT INTO payments (application_id, fund_id, tranche, amount_pence, state, trigger, due_on) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [app.id, app.fundId, p.tranche, p.amountPence, now ? 'scheduled' : 'pending', p.trigger, now ? today : null],
        );
      } else if (p.op === 'make-due') {
        await m.query(
          `UPDATE payments SET state = 'scheduled', due_on = $3 WHERE application_id = $1 AND trigger = $2 AND state = 'pending'`,
          [app.id, p.trigger, today],
        );
      } else if (p.op === 'mark-paid') {
        const [, n] = await m.query(
          `UPDATE payments SET state = 'paid', paid_at = $3, reference = $4 WHERE id = $1 AND application_id = $2 AND state = 'scheduled'`,
          [p.paymentId, app.id, now, p.reference],
        );
        if (n !== 1)
          throw new UseCaseError(
            'conflict',
            'payment_not_scheduled',
            'This payment was released at the same moment by someone else',
          );
      } else {
        await m.query(
          `UPDATE payments SET state = 'cancelled' WHERE application_id = $1 AND state IN ('scheduled', 'pending')`,
          [app.id],
        );
      }
    }
    for (const r of d.reports) {
      switch (r.op) {
        case 'schedule': {
          const form = await reportFormFor(m, app.fundId);
          await m.query(
            `INSERT INTO monitoring_reports (application_id, kind, due_on, state, form_key, form_version) VALUES ($1, $2, $3, 'due', $4, $5)`,
            [app.id, r.kind, londonDate(addIsoDuration(now, r.dueAfter)), form?.key ?? null, form?.version ?? null],
          );
          break;
        }
        case 'submit':
          await m.query(
            `UPDATE monitoring_reports SET state = 'submitted', narrative = $3, spend_to_date_pence = $4, submitted_at = $5
             WHERE id = $1 AND application_id = $2`,
            [r.reportId, app.id, r.narrative, r.spendToDatePence, now],
          );
          break;
        case 'accept':
          await m.query(
            `UPDATE monitoring_reports SET state = 'accepted', reviewed_at = $3 WHERE id = $1 AND application_id = $2`,
            [r.reportId, app.id, now],
          );
          break;
        case 'return':
          await m.query(
            `UPDATE monitoring_reports SET state = 'returned', comments = $3, reviewed_at = $4, times_returned = times_returned + 1 WHERE id = $1 AND application_id = $2`,
            [r.reportId, app.id, r.comments, now],
          );
          break;
        case 'cancel-open':
          await m.query(
            `UPDATE monitoring_reports SET state = 'cancelled' WHERE application_id = $1 AND state IN ('due', 'returned')`,
            [app.id],
          );
          break;
      }
    }
  }
}

function sumOf(d: Transition, kind: Transition['ledger'][number]['kind']): number {
  return d.ledger.filter((e) => e.kind === kind).reduce((a, e) => a + e.amountPence, 0);
}
