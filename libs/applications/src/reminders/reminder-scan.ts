import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, WORKING_CALENDAR } from '@sg/config';
import {
  Actor,
  Clock,
  DEFAULT_REMINDER_OFFSETS,
  dueWindow,
  londonDate,
  REMINDER_KINDS,
  ReminderKind,
  ReminderOffsets,
  reminderOffsets,
  UseCaseError,
  WorkingCalendar,
} from '@sg/domain';
import { OutboxRelay } from '@sg/jobs';
import { writeAudienceNotifications } from '@sg/notifications';
import { DataSource, EntityManager } from 'typeorm';
import { ExecuteTransitionUseCase } from '../execute-transition/execute-transition.use-case';

/** Where a kind's SQL finds its parameters: the kind, fund ids, and the window's dates (from is null for no lower bound). */
interface WindowParams {
  kind: string;
  funds: string;
  from: string | null;
  by: string;
}

const onOrAfter = (column: string, from: string | null) => (from === null ? '' : `AND ${column} >= ${from}`);

/**
 * No reminder of this kind is recorded yet for the subject and due date. Written as a scalar
 * subquery so that it stays a filter on the rows the due-date index yields, checked as each is
 * read and before anything else is looked up for it: NOT EXISTS would become an anti-join that
 * the planner may put after the applications lookup, so that a scan finding everything already
 * sent would still read an application per due row.
 */
const unsent = (w: WindowParams, subjectId: string, dueOn: string) =>
  `(SELECT x.id FROM reminders x WHERE x.kind = ${w.kind} AND x.subject_id = ${subjectId} AND x.due_on = ${dueOn} LIMIT 1) IS NULL`;

/**
 * What each kind is about, and when it is due: (subject_id, application_id, due_on, fund_id,
 * organisation_id, area_code) for the funds and due dates given, less what is already recorded.
 * Each starts from the partial index on its due date (or, for drafts, from the funds closing in
 * the window), so it reads what is due, whatever the number of grants.
 */
const DUE: Record<ReminderKind, (w: WindowParams) => string> = {
  'offer-expiring': (w) => `
    SELECT a.id AS subject_id, a.id AS application_id, (a.offer_expires_at AT TIME ZONE 'Europe/London')::date AS due_on, a.fund_id, a.organisation_id, a.area_code
    FROM applications a
    WHERE a.state = 'offered' AND a.fund_id = ANY (${w.funds})
      ${w.from === null ? '' : `AND a.offer_expires_at >= (${w.from})::timestamp AT TIME ZONE 'Europe/London'`}
      AND a.offer_expires_at < (${w.by} + 1)::timestamp AT TIME ZONE 'Europe/London'
      AND ${unsent(w, 'a.id', "(a.offer_expires_at AT TIME ZONE 'Europe/London')::date")}`,
  'report-due-soon': reportsDue,
  'report-due-today': reportsDue,
  'report-overdue': reportsDue,
  'report-escalation': reportsDue,
  'draft-closing': (w) => `
    SELECT a.id AS subject_id, a.id AS application_id, f.closes_on AS due_on, a.fund_id, a.organisation_id, a.area_code
    FROM funds f JOIN applications a ON a.fund_id = f.id AND a.state = 'draft'
    WHERE f.id = ANY (${w.funds}) ${onOrAfter('f.closes_on', w.from)} AND f.closes_on <= ${w.by} AND ${unsent(w, 'a.id', 'f.closes_on')}`,
  // The "due date" is the day the application started waiting in its state, so a new wait is a new reminder.
  'officer-service-level': (w) => `
    SELECT a.id AS subject_id, a.id AS application_id, (a.state_changed_at AT TIME ZONE 'Europe/London')::date AS due_on, a.fund_id, a.organisation_id, a.area_code
    FROM applications a
    WHERE a.state IN ('submitted', 'screening', 'risk_assessment', 'awaiting_decision') AND a.fund_id = ANY (${w.funds})
      ${w.from === null ? '' : `AND a.state_changed_at >= (${w.from})::timestamp AT TIME ZONE 'Europe/London'`}
      AND a.state_changed_at < (${w.by} + 1)::timestamp AT TIME ZONE 'Europe/London'
      AND ${unsent(w, 'a.id', "(a.state_changed_at AT TIME ZONE 'Europe/London')::date")}`,
  'condition-due': (w) => `
    SELECT c.id AS subject_id, a.id AS application_id, c.due_on, a.fund_id, a.organisation_id, a.area_code
    FROM conditions c
    CROSS JOIN LATERAL (${applicationOf('c.application_id', "('offered', 'conditions_pending', 'active', 'suspended')", w)}) a
    WHERE c.status = 'open' ${onOrAfter('c.due_on', w.from)} AND c.due_on <= ${w.by} AND ${unsent(w, 'c.id', 'c.due_on')}`,
};

function reportsDue(w: WindowParams): string {
  return `
    SELECT r.id AS subject_id, a.id AS application_id, r.due_on, a.fund_id, a.organisation_id, a.area_code
    FROM monitoring_reports r
    CROSS JOIN LATERAL (${applicationOf('r.application_id', "('active', 'suspended')", w)}) a
    WHERE r.state IN ('due', 'returned') ${onOrAfter('r.due_on', w.from)} AND r.due_on <= ${w.by} AND ${unsent(w, 'r.id', 'r.due_on')}`;
}

/**
 * The application a due report or condition belongs to, looked up by its key for each due row.
 * As a join, the planner weighs that against reading every application once (it does, around 100k
 * grants, at its default costs for random reads); as a LATERAL ... LIMIT 1 it cannot, so the
 * scan reads what is due and its applications, however many applications there are.
 */
function applicationOf(applicationId: string, states: string, w: WindowParams): string {
  return `SELECT a.id, a.fund_id, a.organisation_id, a.area_code FROM applications a
      WHERE a.id = ${applicationId} AND a.state IN ${states} AND a.fund_id = ANY (${w.funds}) LIMIT 1`;
}

/** What is due and not yet recorded, in the order reminders are recorded in (see remind), up to $limit rows. */
function dueStatement(branches: readonly string[], limit: string): string {
  return `
    SELECT d.kind, d.subject_id, to_char(d.due_on, 'YYYY-MM-DD') AS due_on, d.application_id, d.fund_id, d.organisation_id, d.area_code
    FROM (${branches.join('\n      UNION ALL')}) d
    ORDER BY d.kind, d.subject_id, d.due_on
    LIMIT ${limit}`;
}

interface DueRow {
  kind: ReminderKind;
  subject_id: string;
  due_on: string;
  application_id: string;
  fund_id: string;
  organisation_id: string;
  area_code: string;
}

/** Query parameters, each distinct value sent once (every kind names the same funds). */
class Params {
  readonly values: unknown[] = [];
  private readonly seen = new Map<string, string>();

  add(value: unknown, type: string): string {
    const key = `${type}:${JSON.stringify(value)}`;
    let ref = this.seen.get(key);
    if (ref === undefined) {
      this.values.push(value);
      ref = `$${this.values.length}::${type}`;
      this.seen.set(key, ref);
    }
    return ref;
  }
}

type Windows = Record<ReminderKind, { dueFrom: string | null; dueBy: string }>;
const SYSTEM: Actor = { userId: 'scheduler', role: 'system', partnerOrganisationId: null };
/** Reminders recorded per transaction: a day's usual due set in one, a backlog in several. */
const BATCH = 1000;

export interface ScanResult {
  today: string;
  expiredOffers: number;
  reminders: Partial<Record<ReminderKind, number>>;
}

/**
 * The reminder scan (DESIGN §7): one job, run by one scheduler, that asks the database what is due
 * today in Europe/London. Offers past their expiry are expired through the lifecycle machine (which
 * releases their money). Each reminder is recorded under a unique (kind, subject, due date) in the
 * same transaction as its emails, so a scan that runs twice, concurrently, or again after a worker
 * died mid-way sends each reminder once. Queries select by due date, so the cost follows what is
 * due, not how many grants exist.
 */
@Injectable()
export class ReminderScan {
  private readonly logger = new Logger(ReminderScan.name);
  private windowCache: { day: string; byOffsets: Map<string, Windows> } = { day: '', byOffsets: new Map() };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  /** Scans every fund, or only those named (an administrator re-running one fund, or a test). */
  async run(only?: readonly string[]): Promise<ScanResult> {
    const now = this.clock.now();
    const today = londonDate(now);
    const funds: { id: string; reminder_offsets: object }[] = await this.dataSource.query(
      'SELECT id, reminder_offsets FROM funds WHERE $1::uuid[] IS NULL OR id = ANY ($1) ORDER BY id',
      [only ?? null],
    );
    const expiredOffers = await this.expireOffers(
      now,
      funds.map((f) => f.id),
    );
    const reminders: ScanResult['reminders'] = {};
    if (funds.length > 0) {
      const params = new Params();
      // One row past the batch says whether another batch follows.
      const statement = dueStatement(this.dueBranches(funds, today, params), params.add(BATCH + 1, 'int'));
      for (;;) {
        const { more, sent } = await this.dataSource.transaction(async (m) => {
          // The tables are large and what is due is small: the planner's parallel plans, and the
          // JIT compilation it turns on once its estimates pass jit_above_cost (as they do with
          // ~100k applications waiting), cost more to start (JIT: 70-110 ms) than the whole scan
          // takes without (~5 ms).
          await m.query(
            `SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`,
          );
          const due: DueRow[] = await m.query(statement, params.values);
          return { more: due.length > BATCH, sent: await this.remind(m, due.slice(0, BATCH)) };
        });
        for (const r of sent) reminders[r.kind] = (reminders[r.kind] ?? 0) + 1;
        if (!more) break;
      }
    }
    this.relay.nudge();
    return { today, expiredOffers, reminders };
  }

  /**
   * Records the reminders (those a rival scan recorded meanwhile are skipped by the unique key) and
   * writes the emails of those this scan recorded. The rows come sorted by that key, so two scans
   * racing lock them in the same order and wait for each other instead of deadlocking.
   */
  private async remind(m: EntityManager, due: readonly DueRow[]): Promise<DueRow[]> {
    if (due.length === 0) return [];
    const created: { id: number; kind: string; subject_id: string; due_on: string }[] = await m.query(
      `INSERT INTO reminders (kind, subject_id, due_on, fund_id, application_id)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::date[], $4::uuid[], $5::uuid[])
       ON CONFLICT (kind, subject_id, due_on) DO NOTHING
       RETURNING id, kind, subject_id, to_char(due_on, 'YYYY-MM-DD') AS due_on`,
      [
        due.map((r) => r.kind),
        due.map((r) => r.subject_id),
        due.map((r) => r.due_on),
        due.map((r) => r.fund_id),
        due.map((r) => r.application_id),
      ],
    );
    const byKey = new Map(due.map((r) => [`${r.kind}|${r.subject_id}|${r.due_on}`, r]));
    const sent = created.map((c) => ({ reminderId: c.id, row: byKey.get(`${c.kind}|${c.subject_id}|${c.due_on}`)! }));
    await writeAudienceNotifications(
      m,
      sent.map(({ reminderId, row }) => ({
        template: `reminder-${row.kind}`,
        dedupePrefix: `reminder:${reminderId}:`,
        audience: REMINDER_KINDS[row.kind].audience,
        optional: REMINDER_KINDS[row.kind].optional,
        fundId: row.fund_id,
        organisationId: row.organisation_id,
        areaCode: row.area_code,
        applicationId: row.application_id,
        reminderId,
      })),
    );
    return sent.map((s) => s.row);
  }

  /**
   * One SELECT per kind and window: funds with the same window (all of them, unless some changed
   * their offsets) share one range scan, instead of one query per fund and kind.
   */
  private dueBranches(
    funds: readonly { id: string; reminder_offsets: object }[],
    today: string,
    params: Params,
  ): string[] {
    const groups = new Map<string, { kind: ReminderKind; dueFrom: string | null; dueBy: string; fundIds: string[] }>();
    for (const fund of funds) {
      const windows = this.windows(today, reminderOffsets(fund.reminder_offsets));
      for (const kind of Object.keys(REMINDER_KINDS) as ReminderKind[]) {
        const { dueFrom, dueBy } = windows[kind];
        const key = `${kind}|${dueFrom}|${dueBy}`;
        const group = groups.get(key);
        if (group) group.fundIds.push(fund.id);
        else groups.set(key, { kind, dueFrom, dueBy, fundIds: [fund.id] });
      }
    }
    return [...groups.values()].map((g) => {
      const kind = params.add(g.kind, 'text');
      const window = {
        kind,
        funds: params.add(g.fundIds, 'uuid[]'),
        from: g.dueFrom === null ? null : params.add(g.dueFrom, 'date'),
        by: params.add(g.dueBy, 'date'),
      };
      return `
      SELECT ${kind} AS kind, b.* FROM (${DUE[g.kind](window)}) b`;
    });
  }

  /**
   * The windows for one set of offsets on one day. Working them out walks the calendar (a binary
   * search over working-day shifts, about a millisecond per fund), so they are kept for the day:
   * funds mostly share offsets, and the scan runs every few minutes.
   */
  private windows(today: string, offsets: ReminderOffsets): Windows {
    if (this.windowCache.day !== today) this.windowCache = { day: today, byOffsets: new Map() };
    const key = JSON.stringify(Object.keys(DEFAULT_REMINDER_OFFSETS).map((k) => offsets[k as keyof ReminderOffsets]));
    let windows = this.windowCache.byOffsets.get(key);
    if (!windows) {
      windows = Object.fromEntries(
        (Object.keys(REMINDER_KINDS) as ReminderKind[]).map((kind) => [
          kind,
          dueWindow(kind, today, offsets, this.calendar),
        ]),
      ) as Windows;
      this.windowCache.byOffsets.set(key, windows);
    }
    return windows;
  }

  /** Offers past their expiry move to offer_expired through the machine; a rival scan's win is not an error. */
  private async expireOffers(now: Date, fundIds: string[]): Promise<number> {
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM applications WHERE state = 'offered' AND offer_expires_at <= $1 AND fund_id = ANY ($2) ORDER BY offer_expires_at LIMIT 1000`,
      [now, fundIds],
    );
    let expired = 0;
    for (const { id } of due) {
      try {
        await this.transitions.execute(SYSTEM, id, 'expire-offer', {});
        expired++;
      } catch (err) {
        if (err instanceof UseCaseError && err.kind === 'conflict') continue;
        this.logger.error(`offer on application ${id} could not be expired: ${(err as Error).message}`);
      }
    }
    return expired;
  }
}
