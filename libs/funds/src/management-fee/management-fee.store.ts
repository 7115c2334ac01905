import { LedgerEntryDraft } from '@sg/domain';
import { Queryable } from '../funds.store';

/** The statements of the management fee: posting an adjustment, and the fee statement's reads. */

/** The event a fee adjustment is posted under, with what the calculation saw. */
export async function insertFeeEvent(
  db: Queryable,
  fundId: string,
  data: { basis: string; basisAmountPence: number; rateBasisPoints: number; postedBeforePence: number },
): Promise<{ id: number }> {
  const [event] = await db.query(
    `INSERT INTO events (fund_id, action, actor_role, data) VALUES ($1, 'calculate-fee', 'system', $2) RETURNING id`,
    [fundId, data],
  );
  return event;
}

export async function insertFeeLedgerEntry(
  db: Queryable,
  fundId: string,
  eventId: number,
  entry: LedgerEntryDraft,
): Promise<void> {
  await db.query(`INSERT INTO ledger_entries (fund_id, event_id, kind, amount_pence) VALUES ($1, $2, $3, $4)`, [
    fundId,
    eventId,
    entry.kind,
    entry.amountPence,
  ]);
}

/** Adds to the fund's stored fee (negative for a reversal) and bumps its version. */
export async function addToFundFee(db: Queryable, fundId: string, deltaPence: number): Promise<void> {
  await db.query(
    `UPDATE funds SET fee_pence = fee_pence + $2, version = version + 1, updated_at = now() WHERE id = $1`,
    [fundId, deltaPence],
  );
}

/** The fund's fee settings and its managing VDA. */
export async function feeStatementFund(
  db: Queryable,
  fundId: string,
): Promise<{
  id: string;
  name: string;
  fee_basis: string;
  fee_rate_bp: number;
  fee_treatment: string;
  fee_shares: unknown;
  managing_slug: string;
  managing_name: string;
}> {
  const [fund] = await db.query(
    `SELECT f.id, f.name, f.fee_basis, f.fee_rate_bp, f.fee_treatment, f.fee_shares, po.slug AS managing_slug, po.name AS managing_name
       FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id AND fp.role = 'managing' JOIN partner_organisations po ON po.id = fp.partner_organisation_id
       WHERE f.id = $1`,
    [fundId],
  );
  return fund;
}

/** Every partner organisation of the fund, whatever its role. */
export function partnerNamesOf(db: Queryable, fundId: string): Promise<{ slug: string; name: string }[]> {
  return db.query(
    `SELECT po.slug, po.name FROM fund_partners fp JOIN partner_organisations po ON po.id = fp.partner_organisation_id WHERE fp.fund_id = $1`,
    [fundId],
  );
}

/** The fee charged and reversed in each calendar month (Europe/London), oldest first. */
export function feeByMonth(
  db: Queryable,
  fundId: string,
): Promise<{ period: string; charged: number; reversed: number }[]> {
  return db.query(
    `SELECT to_char(created_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS period,
              coalesce(sum(amount_pence) FILTER (WHERE kind = 'fee'), 0)::bigint AS charged,
              coalesce(sum(amount_pence) FILTER (WHERE kind = 'fee_reversal'), 0)::bigint AS reversed
       FROM ledger_entries WHERE fund_id = $1 AND kind IN ('fee', 'fee_reversal') GROUP BY 1 ORDER BY 1`,
    [fundId],
  );
}
