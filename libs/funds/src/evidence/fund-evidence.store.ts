import { FormDefinition, LedgerKind } from '@sg/domain';
import { Queryable } from '../funds.store';
import { EvidenceArea } from './fund-evidence-view';

/** The statements of a fund's evidence. None reads a report's narrative or anything that names a grantee. */

export interface EvidenceFundRow {
  id: string;
  slug: string;
  name: string;
  areas: EvidenceArea[];
  opens_on: string | null;
  closes_on: string | null;
  programme_ends_on: string | null;
  report_form_key: string | null;
  total_pence: number;
  grantable_pence: number;
}

/** Each grant's ledger summed by kind (a grant with no entries: one row with no kind). */
export interface GrantMoneyRow {
  id: string;
  area_code: string;
  state: string;
  kind: LedgerKind | null;
  amount: number | null;
}

/** A report accepted, due or returned; answers (without the narrative) only when accepted. */
export interface EvidenceReportRow {
  application_id: string;
  kind: 'interim' | 'final';
  state: string;
  overdue: boolean;
  answers: Record<string, unknown>;
  spend_to_date_pence: number | null;
  reviewed_at: Date | null;
}

export async function evidenceFund(db: Queryable, fundId: string): Promise<EvidenceFundRow | undefined> {
  const [fund] = await db.query(
    `SELECT id, slug, name, areas, opens_on::text, closes_on::text, programme_ends_on::text, report_form_key, total_pence, grantable_pence FROM funds WHERE id = $1`,
    [fundId],
  );
  return fund;
}

/** The funds this partner organisation funds, oldest first. */
export function fundsFundedBy(
  db: Queryable,
  partnerOrganisationId: string,
): Promise<{ id: string; name: string; slug: string }[]> {
  return db.query(
    `SELECT f.id, f.name, f.slug FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id
       WHERE fp.partner_organisation_id = $1 AND fp.role = 'funder' ORDER BY f.created_at`,
    [partnerOrganisationId],
  );
}

/** The partner organisation's link to the fund, whatever its role. */
export async function partnerLink(
  db: Queryable,
  fundId: string,
  partnerOrganisationId: string,
): Promise<{ role: 'managing' | 'partner' | 'funder'; areas: string[] } | undefined> {
  const [link] = await db.query(
    `SELECT role, areas FROM fund_partners WHERE fund_id = $1 AND partner_organisation_id = $2`,
    [fundId, partnerOrganisationId],
  );
  return link;
}

export function grantMoney(db: Queryable, fundId: string): Promise<GrantMoneyRow[]> {
  return db.query(
    `SELECT a.id, a.area_code, a.state, l.kind, sum(l.amount_pence)::bigint AS amount
       FROM applications a LEFT JOIN ledger_entries l ON l.application_id = a.id
       WHERE a.fund_id = $1 AND a.state <> 'draft'
       GROUP BY a.id, a.area_code, a.state, l.kind`,
    [fundId],
  );
}

/** Reports accepted, due or returned; overdue when due or returned and due before today. */
export function evidenceReports(db: Queryable, fundId: string, today: string): Promise<EvidenceReportRow[]> {
  return db.query(
    `SELECT r.application_id, r.kind, r.state, (r.state IN ('due', 'returned') AND r.due_on < $2::date) AS overdue,
                CASE WHEN r.state = 'accepted' THEN r.answers - 'narrative' ELSE '{}'::jsonb END AS answers,
                r.spend_to_date_pence, r.reviewed_at
         FROM monitoring_reports r JOIN applications a ON a.id = r.application_id
         WHERE a.fund_id = $1 AND r.state IN ('accepted', 'due', 'returned')`,
    [fundId, today],
  );
}

/** The report form versions the fund's accepted reports were answered on, and the newest of the fund's report form; newest first. */
export async function evidenceForms(
  db: Queryable,
  fundId: string,
  reportFormKey: string | null,
): Promise<FormDefinition[]> {
  const rows: { definition: FormDefinition }[] = await db.query(
    `SELECT af.definition FROM application_forms af
       WHERE (af.key, af.version) IN (
               SELECT r.form_key, r.form_version FROM monitoring_reports r JOIN applications a ON a.id = r.application_id
               WHERE a.fund_id = $1 AND r.state = 'accepted' AND r.form_key IS NOT NULL)
          OR (af.key = $2 AND af.version = (SELECT max(version) FROM application_forms WHERE key = $2))
       ORDER BY (af.key = $2) DESC, af.version DESC, af.key`,
    [fundId, reportFormKey],
  );
  return rows.map((r) => r.definition);
}

/** The fund's VDAs (managing first) and their areas. */
export function vdaAreas(db: Queryable, fundId: string): Promise<{ name: string; areas: string[] }[]> {
  return db.query(
    `SELECT po.name, fp.areas FROM fund_partners fp JOIN partner_organisations po ON po.id = fp.partner_organisation_id
       WHERE fp.fund_id = $1 AND fp.role IN ('managing', 'partner') ORDER BY (fp.role = 'managing') DESC, po.name`,
    [fundId],
  );
}

/** The name of the fund's partner in this role (the first by name). */
export async function partnerName(
  db: Queryable,
  fundId: string,
  role: 'funder' | 'managing',
): Promise<string | undefined> {
  const [row] = await db.query(
    `SELECT po.name FROM fund_partners fp JOIN partner_organisations po ON po.id = fp.partner_organisation_id WHERE fp.fund_id = $1 AND fp.role = $2 ORDER BY po.name LIMIT 1`,
    [fundId, role],
  );
  return row?.name;
}
