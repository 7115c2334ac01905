import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import {
  Actor,
  actionRequirements,
  ApplicationFacts,
  Clock,
  decideTransition,
  isLifecycleAction,
  LifecycleAction,
  LifecycleCommand,
  londonDate,
  MoneyFacts,
  Refusal,
  UseCaseError,
  UseCaseErrorKind,
} from '@sg/domain';
import { OutboxRelay } from '@sg/jobs';
import { enqueueNotifications } from '@sg/notifications';
import { ApplicationEntity, PG_CHECK_VIOLATION, pgConstraint, pgErrorCode } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { checkConditionSpecs, ConditionSpec } from '../conditions/award-conditions';
import { applicationFacts, fundRules } from '../application-facts';
import { loadNeededFacts } from './transition-facts.store';
import { moveAndRecord, readFund, readMoneyFacts } from './transitions.store';
import { applyPayments, applyReports } from './transition-effects.store';
import { writeRecords } from './transition-records';

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
  declaration_required: 'conflict',
  conflict_of_interest: 'forbidden',
  approver_is_assessor: 'forbidden',
  assessment_missing: 'unprocessable',
  countersignature_required: 'unprocessable',
  application_incomplete: 'unprocessable',
  report_incomplete: 'unprocessable',
  offer_lapsed: 'conflict',
  expiry_not_later: 'unprocessable',
  release_not_requested: 'conflict',
  second_officer_required: 'forbidden',
  second_officer_not_needed: 'conflict',
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

/** The machine's refusal as the use case's error: its problems listed, or its one field. */
function refusalError(r: Refusal): UseCaseError {
  const fields = r.problems
    ? r.problems.map((p) => ({ field: p.field, message: p.message }))
    : r.field
      ? [{ field: r.field, message: r.message }]
      : [];
  return new UseCaseError(REFUSAL_KIND[r.code], r.code, r.message, fields);
}

/**
 * Runs one lifecycle action as one transaction (docs/domain.md §3): the machine decides, from the facts
 * its rule needs; then a conditional UPDATE on (id, state, version) that must touch exactly one
 * row, the event, the ledger entries with the fund's balances, payments and reports, records,
 * notifications and outbox rows, all as the transition says. Anything that commits money locks the
 * fund row before the machine decides, so concurrent approvals are serialised and checked against
 * the balances they will actually change.
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
    action: LifecycleAction,
    input: TransitionCommand,
    expectedVersion: number | undefined,
  ): Promise<TransitionDone> {
    const { conditionDetails, ...plain } = input;
    const details = conditionDetails ?? [];
    const specProblems = checkConditionSpecs(details);
    if (specProblems.length > 0)
      throw new UseCaseError('invalid', 'validation_failed', 'The conditions need correcting', specProblems);
    // The machine sees every condition's text; the tracked records keep the rest.
    const command: LifecycleCommand =
      details.length > 0
        ? { ...plain, conditions: [...(plain.conditions ?? []), ...details.map((d) => d.text)] }
        : plain;
    const conditionSpecs: ConditionSpec[] = [
      ...(plain.conditions ?? []).filter((c) => typeof c === 'string' && c.trim() !== '').map((text) => ({ text })),
      ...details,
    ];
    // The application with the facts its action needs in its state: read again below if a rival moved it.
    const read = async () => {
      const loaded = await this.access.loadVisibleWithDetails(m, actor, applicationId);
      const app = loaded.app;
      if (expectedVersion !== undefined && expectedVersion !== app.version) {
        throw new UseCaseError(
          'conflict',
          'stale_version',
          `The application has changed (version ${app.version}, not ${expectedVersion}); reload it and try again`,
        );
      }
      const requirements = actionRequirements(app.state, action);
      // The actor's declaration came with the application (same statement); the rest have loaders.
      const declared = requirements.needs.includes('declaration');
      const facts: ApplicationFacts = {
        ...applicationFacts(app, loaded.details, londonDate(this.clock.now())),
        ...(declared ? { actorDeclaration: loaded.declaration } : {}),
        ...(await loadNeededFacts(
          m,
          actor,
          app,
          command,
          requirements.needs.filter((n) => n !== 'declaration'),
        )),
      };
      return { app, facts, commitsMoney: requirements.commitsMoney };
    };
    const first = await read();
    let { app, facts } = first;
    const { commitsMoney } = first;
    // The fund is locked only now, when money moves, so that rival approvals in the same fund wait for
    // as little as possible. Under the lock are read what rivals change: the fund's balances, the
    // organisation's awards and the application's version. If a rival moved the application while
    // we waited, it is read again, so that the machine judges the state the rival left.
    const fund = await readFund(m, app.fundId, commitsMoney);
    let money: MoneyFacts | undefined;
    if (commitsMoney) {
      const underLock = await readMoneyFacts(m, fund, app);
      money = underLock.money;
      if (underLock.applicationVersion !== app.version) ({ app, facts } = await read());
    }

    const decision = decideTransition({
      state: app.state,
      role: actor.role,
      action,
      context: { application: facts, fund: fundRules(fund), money, now: this.clock.now() },
      command,
    });
    if (!decision.ok) throw refusalError(decision);
    const now = this.clock.now();
    const { version, eventId } = await moveAndRecord(m, actor, app, decision, now, fund);
    await writeRecords(m, { app, fund, transition: decision, conditionSpecs, now });
    await applyPayments(m, app, decision, now);
    await applyReports(m, app, decision, now);
    await enqueueNotifications(m, notificationSubject(app, eventId), decision.notifications);
    return { applicationId: app.id, eventId, from: decision.from, to: decision.to, version };
  }
}

function notificationSubject(app: ApplicationEntity, eventId: number) {
  return {
    eventId,
    applicationId: app.id,
    fundId: app.fundId,
    organisationId: app.organisationId,
    areaCode: app.areaCode,
  };
}
