import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import { Actor, APPLICATION_STATES, ApplicationState, can, Clock, londonDate, UseCaseError } from '@sg/domain';
import { DataSource } from 'typeorm';
import { visibilityClause } from '../manage-applications/application-queries';

export const DESK_SORTS = ['waiting', 'amount', 'area', 'submitted', 'state'] as const;
export type DeskSort = (typeof DESK_SORTS)[number];

export interface DeskRow {
  id: string;
  reference: string;
  title: string;
  organisationName: string;
  state: string;
  areaCode: string;
  requestedPence: number | null;
  submittedAt: string | null;
  /** Days the application has waited on officers since submission, not counting time with the applicant. */
  daysWaiting: number;
  flags: (
    | 'possible_duplicate'
    | 'eligibility_failed'
    | 'countersignature_needed'
    | 'report_to_review'
    | 'report_overdue'
    | 'open_past_programme_end'
  )[];
}

export interface DecisionRow {
  id: string;
  reference: string;
  title: string;
  organisationName: string;
  requestedPence: number | null;
  recommendedPence: number | null;
  outcome: string | null;
  headroomPence: number;
}

export interface Desk {
  fund: { id: string; name: string; slug: string };
  counts: Record<string, number>;
  rows: DeskRow[];
}

const ORDER: Record<DeskSort, string> = {
  waiting: 'waiting_seconds DESC, a.reference',
  amount: 'a.requested_pence DESC NULLS LAST, a.reference',
  area: 'a.area_code, a.reference',
  submitted: 'a.submitted_at ASC NULLS LAST, a.reference',
  state: 'a.state, a.reference',
};

/**
 * The officer's desk for one fund: counts by state and one set-based list (one query, whatever the
 * number of applications) of what the caller may see, filtered and sorted. Waiting time runs from
 * submission and leaves out the spells in information_requested, when the applicant holds the pen.
 */
@Injectable()
export class DeskQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async desk(actor: Actor, fundId: string, filter: { state?: string; area?: string; sort?: DeskSort }): Promise<Desk> {
    if (filter.state && !(APPLICATION_STATES as readonly string[]).includes(filter.state))
      throw new UseCaseError('invalid', 'invalid_filter', 'Not a state', [
        { field: 'state', message: 'not a lifecycle state' },
      ]);
    const visible = visibilityClause(actor);
    if (!visible || !can(actor.role, 'use-desk'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'The desk is for officers and the panel');
    const [fund] = await this.dataSource.query(
      `SELECT f.id, f.name, f.slug FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id WHERE f.id = $1 AND fp.partner_organisation_id = $2 AND fp.role <> 'funder'`,
      [fundId, actor.partnerOrganisationId],
    );
    if (!fund) throw UseCaseError.notFound('The fund');
    const params: unknown[] = [...visible.params, fundId];
    const base = `${visible.sql} AND a.fund_id = $${params.length} AND a.state <> 'draft'`;
    const countRows: { state: string; n: number }[] = await this.dataSource.query(
      `SELECT a.state, count(*)::int AS n FROM applications a WHERE ${base} GROUP BY a.state`,
      params,
    );
    const where = [base];
    const today = `$${params.push(londonDate(this.clock.now()))}::date`;
    if (filter.state) where.push(`a.state = $${params.push(filter.state)}`);
    if (filter.area) where.push(`a.area_code = $${params.push(filter.area)}`);
    const rows = await this.dataSource.query(
      `WITH spells AS (
         SELECT e.application_id, e.to_state, e.created_at,
                lead(e.created_at) OVER (PARTITION BY e.application_id ORDER BY e.id) AS left_at
         FROM events e WHERE e.application_id IN (SELECT a.id FROM applications a WHERE ${where.join(' AND ')})),
       with_applicant AS (
         SELECT application_id, sum(extract(epoch FROM coalesce(left_at, now()) - created_at)) AS seconds
         FROM spells WHERE to_state = 'information_requested' GROUP BY application_id)
       SELECT a.id, a.reference, a.title, a.state, a.area_code, a.requested_pence, a.submitted_at, o.name AS organisation_name,
              greatest(0, extract(epoch FROM now() - coalesce(a.submitted_at, a.created_at)) - coalesce(w.seconds, 0)) AS waiting_seconds,
              (o.duplicate_of IS NOT NULL OR EXISTS (SELECT 1 FROM organisation_duplicate_flags f WHERE f.matches_organisation_id = o.id)) AS possible_duplicate,
              coalesce((SELECT bool_or(NOT (c->>'passed')::boolean) FROM jsonb_array_elements(a.eligibility->'checks') c), false) AS eligibility_failed,
              coalesce((SELECT s.countersign_required AND s.countersigned_by IS NULL FROM assessments s WHERE s.application_id = a.id), false) AS countersignature_needed,
              EXISTS (SELECT 1 FROM monitoring_reports r WHERE r.application_id = a.id AND r.state = 'submitted') AS report_to_review,
              EXISTS (SELECT 1 FROM monitoring_reports r WHERE r.application_id = a.id AND r.state IN ('due', 'returned') AND r.due_on < ${today}) AS report_overdue,
              (fu.programme_ends_on < ${today} AND a.state IN ('offered', 'conditions_pending', 'active', 'suspended', 'closing')) AS open_past_programme_end
       FROM applications a JOIN organisations o ON o.id = a.organisation_id JOIN funds fu ON fu.id = a.fund_id LEFT JOIN with_applicant w ON w.application_id = a.id
       WHERE ${where.join(' AND ')}
       ORDER BY ${ORDER[filter.sort ?? 'waiting']}
       LIMIT 500`,
      params,
    );
    return {
      fund,
      counts: Object.fromEntries(countRows.map((r) => [r.state, r.n])),
      rows: rows.map((r: DeskListRow) => ({
        id: r.id,
        reference: r.reference,
        title: r.title,
        organisationName: r.organisation_name,
        state: r.state,
        areaCode: r.area_code,
        requestedPence: r.requested_pence,
        submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
        daysWaiting: Math.floor(Number(r.waiting_seconds) / 86_400),
        flags: (
          [
            'possible_duplicate',
            'eligibility_failed',
            'countersignature_needed',
            'report_to_review',
            'report_overdue',
            'open_past_programme_end',
          ] as const
        ).filter((f) => r[f] === true),
      })),
    };
  }

  /**
   * What awaits the panel's decision in a fund: each application's requested and recommended
   * amounts and computed outcome, against the fund's remaining money and each organisation's
   * remaining headroom (its duplicates counted in).
   */
  async decisions(
    actor: Actor,
    fundId: string,
  ): Promise<{ fund: Desk['fund']; availablePence: number; rows: DecisionRow[] }> {
    const { fund } = await this.desk(actor, fundId, { state: 'awaiting_decision' });
    const [money] = await this.dataSource.query(
      'SELECT grantable_pence - committed_pence - disbursed_pence + returned_pence AS available FROM funds WHERE id = $1',
      [fundId],
    );
    const visible = visibilityClause(actor)!;
    const params = [...visible.params, fundId];
    const rows = await this.dataSource.query(
      `SELECT a.id, a.reference, a.title, a.requested_pence, o.name AS organisation_name, s.recommended_pence, s.outcome,
              f.max_per_organisation_pence - coalesce((
                SELECT sum(CASE l.kind WHEN 'commitment' THEN l.amount_pence WHEN 'release' THEN -l.amount_pence ELSE 0 END)
                FROM ledger_entries l JOIN organisations lo ON lo.id = l.organisation_id
                WHERE l.fund_id = a.fund_id AND coalesce(lo.duplicate_of, lo.id) = coalesce(o.duplicate_of, o.id)), 0) AS headroom
       FROM applications a JOIN organisations o ON o.id = a.organisation_id JOIN funds f ON f.id = a.fund_id
       LEFT JOIN assessments s ON s.application_id = a.id
       WHERE ${visible.sql} AND a.fund_id = $${params.length} AND a.state = 'awaiting_decision'
       ORDER BY a.submitted_at, a.reference`,
      params,
    );
    return {
      fund,
      availablePence: Number(money.available),
      rows: rows.map((r: DecisionQueryRow) => ({
        id: r.id,
        reference: r.reference,
        title: r.title,
        organisationName: r.organisation_name,
        requestedPence: r.requested_pence,
        recommendedPence: r.recommended_pence,
        outcome: r.outcome,
        headroomPence: Math.max(0, Number(r.headroom)),
      })),
    };
  }

  /** The funds the caller works on as an officer, partner officer or panel member. */
  async funds(actor: Actor): Promise<{ id: string; name: string; slug: string }[]> {
    if (!actor.partnerOrganisationId) return [];
    return this.dataSource.query(
      `SELECT f.id, f.name, f.slug FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id WHERE fp.partner_organisation_id = $1 AND fp.role <> 'funder' ORDER BY f.created_at`,
      [actor.partnerOrganisationId],
    );
  }
}

/** A desk list row as PostgreSQL returns it (numeric sums come back as strings). */
interface DeskListRow {
  id: string;
  reference: string;
  title: string | null;
  organisation_name: string;
  state: ApplicationState;
  area_code: string;
  requested_pence: number | null;
  submitted_at: Date | null;
  waiting_seconds: string;
  possible_duplicate: boolean;
  eligibility_failed: boolean;
  countersignature_needed: boolean;
  report_to_review: boolean;
  report_overdue: boolean;
  open_past_programme_end: boolean;
}

/** An application awaiting decision, as PostgreSQL returns it. */
interface DecisionQueryRow {
  id: string;
  reference: string;
  title: string | null;
  organisation_name: string;
  requested_pence: number | null;
  recommended_pence: number | null;
  outcome: string | null;
  headroom: string;
}
