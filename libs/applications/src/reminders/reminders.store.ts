import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ReminderKind } from '@sg/domain';
import { DataSource, EntityManager } from 'typeorm';

/*
 * The reminder scan's statements (see reminder-scan.ts for the rules). The scan's cost must follow
 * what is due, not how many grants exist (bench/reminder-scan.mjs): the SQL below is shaped for
 * the planner, so change it with the benchmark at hand.
 */

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

export interface DueRow {
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

/** Funds that share a kind's window: one SELECT (one range scan) serves them all. */
export interface DueGroup {
  kind: ReminderKind;
  dueFrom: string | null;
  dueBy: string;
  fundIds: string[];
}

/** What is due, as one statement and its parameters, run again for each batch. */
export interface DueQuery {
  text: string;
  values: unknown[];
}

/** The funds a scan covers, what is due in them, and the reminders recorded (one row per kind, subject and due date). */
@Injectable()
export class RemindersStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every fund, or only those named, with their reminder offsets. */
  fundsToScan(only?: readonly string[]): Promise<{ id: string; reminder_offsets: object }[]> {
    return this.dataSource.query(
      'SELECT id, reminder_offsets FROM funds WHERE $1::uuid[] IS NULL OR id = ANY ($1) ORDER BY id',
      [only ?? null],
    );
  }

  /** Offers in these funds past their expiry, oldest first, up to 1,000. */
  offersPastExpiry(now: Date, fundIds: string[]): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `SELECT id FROM applications WHERE state = 'offered' AND offer_expires_at <= $1 AND fund_id = ANY ($2) ORDER BY offer_expires_at LIMIT 1000`,
      [now, fundIds],
    );
  }

  /**
   * One SELECT per group (kind and window), all in one statement, up to `limit` rows; each
   * distinct parameter is sent once.
   */
  dueQuery(groups: readonly DueGroup[], limit: number): DueQuery {
    const params = new Params();
    const branches = groups.map((g) => {
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
    return { text: dueStatement(branches, params.add(limit, 'int')), values: params.values };
  }

  /** What is due and not yet recorded, in the transaction that records it. */
  async readDue(m: EntityManager, q: DueQuery): Promise<DueRow[]> {
    // The tables are large and what is due is small: the planner's parallel plans, and the
    // JIT compilation it turns on once its estimates pass jit_above_cost (as they do with
    // ~100k applications waiting), cost more to start (JIT: 70-110 ms) than the whole scan
    // takes without (~5 ms).
    await m.query(`SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`);
    return m.query(q.text, q.values);
  }

  /**
   * Records the reminders; those already recorded (by a rival scan, meanwhile) are skipped by the
   * unique key, so only this call's are returned.
   */
  recordReminders(
    m: EntityManager,
    due: readonly DueRow[],
  ): Promise<{ id: number; kind: string; subject_id: string; due_on: string }[]> {
    return m.query(
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
  }
}
