import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** What the offer letter says beyond the application itself, read in one statement. */
export interface OfferLetterFacts {
  fundName: string;
  /** The partner organisation that manages the fund, which writes the letter. */
  managingOrganisation: string;
  paymentSchedule: { percent: number; trigger: string }[];
  reportSchedule: { kind: string; dueAfter: string }[];
  /** The applying organisation's address lines, as stored (blank lines included). */
  address: (string | null)[];
  /** The reason recorded with the latest approval, or null. */
  approvalReason: string | null;
  /** The latest acceptance of the offer: who signed, in what role, and when. */
  accepted: { signatoryName: string; signatoryRole: string; at: Date } | null;
}

/**
 * The fund (with its managing partner), the organisation's address, the approval's reason and the
 * latest acceptance of the offer of one application. The caller has already checked that the
 * reader may see the application.
 */
export async function readOfferLetterFacts(
  m: Queryable,
  application: { id: string; fundId: string; organisation: { id: string } },
): Promise<OfferLetterFacts> {
  const [row] = await m.query(
    `SELECT f.name, f.payment_schedule, f.report_schedule, p.name AS managing,
       o.address_line_1, o.address_line_2, o.town, o.postcode,
       (SELECT e.reason FROM events e WHERE e.application_id = $3 AND e.action = 'approve' ORDER BY e.id DESC LIMIT 1) AS approval_reason,
       acc.data AS accepted_data, acc.created_at AS accepted_at
     FROM funds f
     JOIN fund_partners fp ON fp.fund_id = f.id AND fp.role = 'managing' JOIN partner_organisations p ON p.id = fp.partner_organisation_id
     LEFT JOIN organisations o ON o.id = $2
     LEFT JOIN LATERAL (SELECT e.data, e.created_at FROM events e WHERE e.application_id = $3 AND e.action = 'accept-offer'
       ORDER BY e.id DESC LIMIT 1) acc ON true
     WHERE f.id = $1
     LIMIT 1`,
    [application.fundId, application.organisation.id, application.id],
  );
  if (!row) throw new Error(`fund ${application.fundId} has no managing partner to write its offer letters`);
  return {
    fundName: row.name,
    managingOrganisation: row.managing,
    paymentSchedule: row.payment_schedule,
    reportSchedule: row.report_schedule,
    address: [row.address_line_1, row.address_line_2, row.town, row.postcode],
    approvalReason: row.approval_reason,
    accepted: row.accepted_at
      ? {
          signatoryName: row.accepted_data?.signatoryName,
          signatoryRole: row.accepted_data?.signatoryRole,
          at: new Date(row.accepted_at),
        }
      : null,
  };
}
