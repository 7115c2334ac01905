import { balancesFromLedger, FundBalances, LedgerKind } from '@sg/domain';
import { EntityManager } from 'typeorm';

/** A fund's balances recomputed from its ledger, summed by kind in the database. */
export async function ledgerBalances(m: Pick<EntityManager, 'query'>, fundId: string): Promise<FundBalances> {
  const rows: { kind: LedgerKind; amount: number }[] = await m.query(
    `SELECT kind, sum(amount_pence)::bigint AS amount FROM ledger_entries WHERE fund_id = $1 GROUP BY kind`,
    [fundId],
  );
  return balancesFromLedger(rows.map((r) => ({ kind: r.kind, amountPence: r.amount })));
}
