import { balancesFromLedger, FundBalances } from '@sg/domain';
import { ledgerSumsByKind, Queryable } from './funds.store';

/** A fund's balances recomputed from its ledger, summed by kind in the database. */
export async function ledgerBalances(m: Queryable, fundId: string): Promise<FundBalances> {
  const rows = await ledgerSumsByKind(m, fundId);
  return balancesFromLedger(rows.map((r) => ({ kind: r.kind, amountPence: r.amount })));
}
