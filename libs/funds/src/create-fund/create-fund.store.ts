import { FundDefinitionDto } from '../fund-definition.dto';
import { Queryable } from '../funds.store';

/** The statements of creating a fund: what its definition names must exist; the fund, its partners and opening entries. */

export async function rubricExists(db: Queryable, key: string): Promise<boolean> {
  const [rubric] = await db.query('SELECT 1 FROM rubrics WHERE key = $1', [key]);
  return !!rubric;
}

/** Whether a form with this key is published for this purpose (forms without one are application forms). */
export async function formExists(db: Queryable, key: string, purpose: 'application' | 'report'): Promise<boolean> {
  const [form] = await db.query(
    `SELECT 1 FROM application_forms WHERE key = $1 AND coalesce(definition->>'purpose', 'application') = $2`,
    [key, purpose],
  );
  return !!form;
}

/** The fund row from its definition (the total is also its opening allocated amount). */
export async function insertFund(db: Queryable, d: FundDefinitionDto, grantablePence: number): Promise<{ id: string }> {
  const [fund] = await db.query(
    `INSERT INTO funds (slug, name, currency, total_pence, fee_rate_bp, fee_basis, fee_treatment, max_per_organisation_pence,
         grantable_pence, alert_thresholds_bp, areas, opens_on, closes_on, offer_valid_for, payment_schedule, report_schedule,
         definition, allocated_pence, application_form_key, rubric_key, eligible_legal_forms, approver_may_be_assessor, fee_shares, reminder_offsets,
         report_form_key, programme_ends_on, payment_release_needs_second_officer)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $4, $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING id`,
    [
      d.slug,
      d.name,
      d.currency,
      d.totalPence,
      d.feeRateBasisPoints,
      d.feeBasis,
      d.feeTreatment,
      d.maxPerOrganisationPence,
      grantablePence,
      d.alertThresholdsBasisPoints,
      JSON.stringify(d.areas),
      d.opensOn ?? null,
      d.closesOn ?? null,
      d.offerValidFor,
      JSON.stringify(d.paymentSchedule),
      JSON.stringify(d.reportSchedule),
      JSON.stringify(d),
      d.applicationForm ?? null,
      d.rubric ?? null,
      d.eligibleLegalForms ?? [],
      d.approverMayBeAssessor ?? false,
      JSON.stringify(d.feeShares ?? []),
      JSON.stringify(d.reminders ?? {}),
      d.reportForm ?? null,
      d.programmeEndsOn ?? null,
      d.paymentReleaseNeedsSecondOfficer ?? false,
    ],
  );
  return fund;
}

/** Partner organisations are shared across funds: the first definition to name one creates it. */
export async function upsertPartnerOrganisation(
  db: Queryable,
  p: { slug: string; name: string; kind: string },
): Promise<{ id: string }> {
  const [row] = await db.query(
    `INSERT INTO partner_organisations (slug, name, kind) VALUES ($1, $2, $3)
         ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
    [p.slug, p.name, p.kind],
  );
  return row;
}

export async function insertFundPartner(
  db: Queryable,
  fundId: string,
  partnerOrganisationId: string,
  role: string,
  areas: string[],
): Promise<void> {
  await db.query(`INSERT INTO fund_partners (fund_id, partner_organisation_id, role, areas) VALUES ($1, $2, $3, $4)`, [
    fundId,
    partnerOrganisationId,
    role,
    areas,
  ]);
}

export async function insertCreateFundEvent(
  db: Queryable,
  fundId: string,
  actorUserId: string | null,
  actorRole: string,
  data: { slug: string },
): Promise<{ id: number }> {
  const [event] = await db.query(
    `INSERT INTO events (fund_id, action, actor_user_id, actor_role, data) VALUES ($1, 'create-fund', $2, $3, $4) RETURNING id`,
    [fundId, actorUserId, actorRole, data],
  );
  return event;
}

/** The fund's total allocated to it, under the create-fund event. */
export async function insertAllocation(
  db: Queryable,
  fundId: string,
  eventId: number,
  totalPence: number,
): Promise<void> {
  await db.query(
    `INSERT INTO ledger_entries (fund_id, event_id, kind, amount_pence) VALUES ($1, $2, 'allocation', $3)`,
    [fundId, eventId, totalPence],
  );
}
