import { ApplicationState } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { LATEST_DECLARATION } from '../conflicts/conflict-declarations.store';

// The desk's statements: the fund as the caller's partner organisation works on it, counts by
// state, the one set-based list, and what awaits the panel's decision.

type Queryable = Pick<EntityManager, 'query'>;

export async function deskFund(
  q: Queryable,
  fundId: string,
  partnerOrganisationId: string | null,
): Promise<{ id: string; name: string; slug: string } | undefined> {
  const [fund] = await q.query(
    `SELECT f.id, f.name, f.slug FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id WHERE f.id = $1 AND fp.partner_organisation_id = $2 AND fp.role <> 'funder'`,
    [fundId, partnerOrganisationId],
  );
  return fund;
}

/** Whether the reader (`declarant`, a uuid parameter such as `$5::uuid`, NULL for no one) declared a conflict in `a`. */
const conflicted = (declarant: string) =>
  `coalesce(CASE WHEN ${declarant} IS NOT NULL THEN ${LATEST_DECLARATION('a.id', declarant)} END, false) AS conflicted`;

/** `base` is the visibility clause with the fund and not-draft conditions; `params` its parameters. */
export function countsByState(q: Queryable, base: string, params: unknown[]): Promise<{ state: string; n: number }[]> {
  return q.query(`SELECT a.state, count(*)::int AS n FROM applications a WHERE ${base} GROUP BY a.state`, params);
}

/**
 * The desk's list: `conditions` (the visibility clause first), `today` the parameter holding London's
 * date (e.g. `$4::date`), `order` one of the desk's vetted ORDER BY lists.
 */
export function deskRows(
  q: Queryable,
  conditions: string[],
  today: string,
  order: string,
  params: unknown[],
  declarant: string,
): Promise<DeskListRow[]> {
  const where = conditions.join(' AND ');
  return q.query(
    `WITH spells AS (
         SELECT e.application_id, e.to_state, e.created_at,
                lead(e.created_at) OVER (PARTITION BY e.application_id ORDER BY e.id) AS left_at
         FROM events e WHERE e.application_id IN (SELECT a.id FROM applications a WHERE ${where})),
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
              (fu.programme_ends_on < ${today} AND a.state IN ('offered', 'conditions_pending', 'active', 'suspended', 'closing')) AS open_past_programme_end,
              ${conflicted(declarant)}
       FROM applications a JOIN organisations o ON o.id = a.organisation_id JOIN funds fu ON fu.id = a.fund_id LEFT JOIN with_applicant w ON w.application_id = a.id
       WHERE ${where}
       ORDER BY ${order}
       LIMIT 500`,
    params,
  );
}

export async function availableForGrants(q: Queryable, fundId: string): Promise<number> {
  const [money] = await q.query(
    'SELECT grantable_pence - committed_pence - disbursed_pence + returned_pence AS available FROM funds WHERE id = $1',
    [fundId],
  );
  return Number(money.available);
}

/** `params` ends with the fund's id, after the visibility clause's own. */
export function decisionRows(
  q: Queryable,
  visible: { sql: string },
  params: unknown[],
  declarantUserId: string | null,
): Promise<DecisionQueryRow[]> {
  return q.query(
    `SELECT a.id, a.reference, a.title, a.requested_pence, o.name AS organisation_name, s.recommended_pence, s.outcome,
              ${conflicted(`$${params.length + 1}::uuid`)},
              f.max_per_organisation_pence - coalesce((
                SELECT sum(CASE l.kind WHEN 'commitment' THEN l.amount_pence WHEN 'release' THEN -l.amount_pence ELSE 0 END)
                FROM ledger_entries l JOIN organisations lo ON lo.id = l.organisation_id
                WHERE l.fund_id = a.fund_id AND coalesce(lo.duplicate_of, lo.id) = coalesce(o.duplicate_of, o.id)), 0) AS headroom
       FROM applications a JOIN organisations o ON o.id = a.organisation_id JOIN funds f ON f.id = a.fund_id
       LEFT JOIN assessments s ON s.application_id = a.id
       WHERE ${visible.sql} AND a.fund_id = $${params.length} AND a.state = 'awaiting_decision'
       ORDER BY a.submitted_at, a.reference`,
    [...params, declarantUserId],
  );
}

export function deskFunds(
  q: Queryable,
  partnerOrganisationId: string,
): Promise<{ id: string; name: string; slug: string }[]> {
  return q.query(
    `SELECT f.id, f.name, f.slug FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id WHERE fp.partner_organisation_id = $1 AND fp.role <> 'funder' ORDER BY f.created_at`,
    [partnerOrganisationId],
  );
}

/** A desk list row as PostgreSQL returns it (numeric sums come back as strings). */
export interface DeskListRow {
  id: string;
  reference: string;
  title: string;
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
  /** The reader declared a conflict of interest in it. */
  conflicted: boolean;
  report_overdue: boolean;
  open_past_programme_end: boolean;
}

/** An application awaiting decision, as PostgreSQL returns it. */
export interface DecisionQueryRow {
  id: string;
  reference: string;
  title: string;
  organisation_name: string;
  requested_pence: number | null;
  recommended_pence: number | null;
  outcome: string | null;
  headroom: string;
  /** The reader declared a conflict of interest in it. */
  conflicted: boolean;
}
