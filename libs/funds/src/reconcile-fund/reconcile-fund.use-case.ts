import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FundBalances, fundInvariantBreaches } from '@sg/domain';
import { FundEntity, storedBalances } from '@sg/persistence';
import { ledgerBalances } from '../fund-balances';
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
    // One snapshot for both reads: a transition committing between them would look like drift.
    const read = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const fund = await m.getRepository(FundEntity).findOneBy({ id: fundId });
      return fund ? { fund, fromLedger: await ledgerBalances(m, fundId) } : null;
    });
    if (!read) return null;
    const { fund, fromLedger } = read;
    const stored = storedBalances(fund);
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
