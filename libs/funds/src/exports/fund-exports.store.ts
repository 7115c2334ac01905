import { FormDefinition } from '@sg/domain';
import { Queryable } from '../funds.store';

/**
 * The statements of the fund's exports. What is never exported, by construction: every statement
 * below names the columns it reads, and none of them is free text (titles, summaries, answers to
 * application questions, report narratives, officers' comments and notes, reasons, condition
 * texts), an address, a postcode, a contact detail or a file. Address and postcode columns are not
 * even read: a refuge or safe-accommodation address must never be able to reach a file that leaves
 * the system. (Report answers are read whole; only their figures become columns.)
 */

/** Dates as people in the UK read them (YYYY-MM-DD, Europe/London). */
const day = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`;

export interface ApplicationExportRow {
  reference: string;
  organisation: string;
  registration_number: string | null;
  legal_form: string;
  area_code: string;
  state: string;
  requested_pence: number | null;
  awarded_pence: number | null;
  submitted_on: string | null;
  decided_on: string | null;
  risk_tier: string | null;
}

/** Every application past draft, oldest submission first. */
export function applicationRows(db: Queryable, fundId: string): Promise<ApplicationExportRow[]> {
  return db.query(
    `SELECT a.reference, o.name AS organisation, o.registration_number, o.legal_form, a.area_code, a.state,
              a.requested_pence, a.awarded_pence, ${day('a.submitted_at')} AS submitted_on, ${day('a.decided_at')} AS decided_on,
              coalesce(s.risk_tier, a.activity_risk_tier) AS risk_tier
       FROM applications a JOIN organisations o ON o.id = a.organisation_id LEFT JOIN assessments s ON s.application_id = a.id
       WHERE a.fund_id = $1 AND a.state <> 'draft'
       ORDER BY a.submitted_at NULLS LAST, a.reference`,
    [fundId],
  );
}

export interface AwardExportRow {
  reference: string;
  organisation: string;
  registration_number: string | null;
  area_code: string;
  state: string;
  awarded_pence: number;
  disbursed_pence: number;
  returned_pence: number;
  offered_on: string | null;
  offer_expires_on: string | null;
  accepted_on: string | null;
  conditions: number;
  conditions_open: number;
}

/** Every approved application, in the order of decision. */
export function awardRows(db: Queryable, fundId: string): Promise<AwardExportRow[]> {
  return db.query(
    `SELECT a.reference, o.name AS organisation, o.registration_number, a.area_code, a.state, a.awarded_pence, a.disbursed_pence, a.returned_pence,
              ${day('a.decided_at')} AS offered_on, ${day('a.offer_expires_at')} AS offer_expires_on, ${day('a.accepted_at')} AS accepted_on,
              (SELECT count(*)::int FROM conditions c WHERE c.application_id = a.id) AS conditions,
              (SELECT count(*)::int FROM conditions c WHERE c.application_id = a.id AND c.status = 'open') AS conditions_open
       FROM applications a JOIN organisations o ON o.id = a.organisation_id
       WHERE a.fund_id = $1 AND a.awarded_pence IS NOT NULL
       ORDER BY a.decided_at, a.reference`,
    [fundId],
  );
}

export interface PaymentExportRow {
  id: string;
  reference: string;
  organisation: string;
  tranche: number;
  amount_pence: number;
  state: string;
  trigger: string;
  due_on: string | null;
  paid_on: string | null;
  payment_reference: string | null;
}

/** Every payment, by application and tranche. */
export function paymentRows(db: Queryable, fundId: string): Promise<PaymentExportRow[]> {
  return db.query(
    `SELECT p.id, a.reference, o.name AS organisation, p.tranche, p.amount_pence, p.state, p.trigger, to_char(p.due_on, 'YYYY-MM-DD') AS due_on,
              ${day('p.paid_at')} AS paid_on, p.reference AS payment_reference
       FROM payments p JOIN applications a ON a.id = p.application_id JOIN organisations o ON o.id = a.organisation_id
       WHERE p.fund_id = $1
       ORDER BY a.reference, p.tranche`,
    [fundId],
  );
}

export interface ReportExportRow {
  reference: string;
  organisation: string;
  kind: string;
  due_on: string;
  state: string;
  submitted_on: string | null;
  reviewed_on: string | null;
  times_returned: number;
  spend_to_date_pence: number | null;
  answers: Record<string, unknown>;
}

/** Every monitoring report with its answers (whose figures only are read into columns). */
export function reportRows(db: Queryable, fundId: string): Promise<ReportExportRow[]> {
  return db.query(
    `SELECT a.reference, o.name AS organisation, r.kind, to_char(r.due_on, 'YYYY-MM-DD') AS due_on, r.state,
              ${day('r.submitted_at')} AS submitted_on, ${day('r.reviewed_at')} AS reviewed_on, r.times_returned, r.spend_to_date_pence, r.answers
       FROM monitoring_reports r JOIN applications a ON a.id = r.application_id JOIN organisations o ON o.id = a.organisation_id
       WHERE a.fund_id = $1
       ORDER BY a.reference, r.due_on, r.kind`,
    [fundId],
  );
}

/** The report forms the fund's reports were answered on, and its current one: newest first. */
export function reportFormRows(db: Queryable, fundId: string): Promise<{ definition: FormDefinition }[]> {
  return db.query(
    `SELECT f.definition FROM application_forms f
       WHERE (f.key, f.version) IN (SELECT r.form_key, r.form_version FROM monitoring_reports r JOIN applications a ON a.id = r.application_id
                                     WHERE a.fund_id = $1 AND r.form_key IS NOT NULL)
          OR (f.key, f.version) IN (SELECT g.key, max(g.version) FROM application_forms g JOIN funds fu ON fu.report_form_key = g.key
                                     WHERE fu.id = $1 GROUP BY g.key)
       ORDER BY f.key, f.version DESC`,
    [fundId],
  );
}

export interface ThreeSixtyGivingFundRow {
  slug: string;
  name: string;
  currency: string;
  total_pence: number;
  areas: { code: string; name: string }[];
  opens_on: string | null;
  programme_ends_on: string | null;
  allocated_on: string;
  updated_at: Date;
}

/** The fund as 360Giving describes it; allocated on the day of its first allocation. */
export async function threeSixtyGivingFund(db: Queryable, fundId: string): Promise<ThreeSixtyGivingFundRow> {
  const [row] = await db.query(
    `SELECT f.slug, f.name, f.currency, f.total_pence, f.areas, to_char(f.opens_on, 'YYYY-MM-DD') AS opens_on,
              to_char(f.programme_ends_on, 'YYYY-MM-DD') AS programme_ends_on, f.updated_at,
              ${day(`coalesce((SELECT min(l.created_at) FROM ledger_entries l WHERE l.fund_id = f.id AND l.kind = 'allocation'), f.created_at)`)} AS allocated_on
       FROM funds f WHERE f.id = $1`,
    [fundId],
  );
  return row;
}

/** The fund's managing organisation and funder. */
export function publishingPartners(
  db: Queryable,
  fundId: string,
): Promise<{ role: string; slug: string; name: string }[]> {
  return db.query(
    `SELECT fp.role, p.slug, p.name FROM fund_partners fp JOIN partner_organisations p ON p.id = fp.partner_organisation_id
       WHERE fp.fund_id = $1 AND fp.role IN ('managing', 'funder') ORDER BY p.slug`,
    [fundId],
  );
}

export interface GrantExportRow {
  reference: string;
  organisation_id: string;
  name: string;
  legal_form: string;
  registration_number: string | null;
  led_by_and_for: boolean | null;
  communities_served: string[];
  area_code: string;
  requested_pence: number | null;
  awarded_pence: number;
  disbursed_pence: number;
  returned_pence: number;
  decided_on: string;
  accepted_on: string | null;
  final_due_on: string | null;
  updated_at: Date;
}

/** The awards that happened (in these states), with the organisation's identity and 'by and for' answer only: never its address, town or postcode, its own description of its communities, or its safeguarding lead. */
export function grantRows(db: Queryable, fundId: string, states: string[]): Promise<GrantExportRow[]> {
  return db.query(
    `SELECT a.reference, o.id AS organisation_id, o.name, o.legal_form, o.registration_number, o.led_by_and_for, o.communities_served,
              a.area_code, a.requested_pence, a.awarded_pence, a.disbursed_pence, a.returned_pence,
              ${day('a.decided_at')} AS decided_on, ${day('a.accepted_at')} AS accepted_on, a.updated_at,
              (SELECT to_char(max(r.due_on), 'YYYY-MM-DD') FROM monitoring_reports r WHERE r.application_id = a.id AND r.kind = 'final' AND r.state <> 'cancelled') AS final_due_on
       FROM applications a JOIN organisations o ON o.id = a.organisation_id
       WHERE a.fund_id = $1 AND a.awarded_pence IS NOT NULL AND a.decided_at IS NOT NULL AND a.state = ANY($2)
       ORDER BY a.decided_at, a.reference`,
    [fundId, states],
  );
}
