import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { balancesFromLedger, FundBalances, fundInvariantBreaches, LedgerKind } from '@sg/domain';
import { FundEntity } from '@sg/persistence';
import { DataSource } from 'typeorm';

export interface Reconciliation {
  fundId: string;
  fromLedger: FundBalances;
  stored: FundBalances;
  drift: Partial<Record<keyof FundBalances, number>>;
  breaches: string[];
}

/**
 * Recomputes a fund's balances from its ledger and compares them with the stored summary. A
 * difference is reported and logged, never silently "fixed": the ledger is the record, and a
 * drift means a bug to find. (Threshold alerts and the nightly run arrive with the budget job.)
 */
@Injectable()
export class ReconcileFundUseCase {
  private readonly logger = new Logger(ReconcileFundUseCase.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute(fundId: string): Promise<Reconciliation | null> {
    const fund = await this.dataSource.getRepository(FundEntity).findOneBy({ id: fundId });
    if (!fund) return null;
    const rows: { kind: LedgerKind; amount: number }[] = await this.dataSource.query(
      `SELECT kind, sum(amount_pence)::bigint AS amount FROM ledger_entries WHERE fund_id = $1 GROUP BY kind`,
      [fundId],
    );
    const fromLedger = balancesFromLedger(rows.map((r) => ({ kind: r.kind, amountPence: r.amount })));
    const stored: FundBalances = {
      allocatedPence: fund.allocatedPence,
      feePence: fund.feePence,
      committedPence: fund.committedPence,
      disbursedPence: fund.disbursedPence,
      returnedPence: fund.returnedPence,
    };
    const drift: Reconciliation['drift'] = {};
    for (const key of Object.keys(stored) as (keyof FundBalances)[]) {
      if (stored[key] !== fromLedger[key]) drift[key] = stored[key] - fromLedger[key];
    }
    const breaches = fundInvariantBreaches(fund.grantablePence, fromLedger);
    if (Object.keys(drift).length > 0 || breaches.length > 0) {
      this.logger.error(`fund ${fundId} does not reconcile: drift ${JSON.stringify(drift)}, breaches ${breaches.join(',') || 'none'}`);
    }
    return { fundId, fromLedger, stored, drift, breaches };
  }
}
