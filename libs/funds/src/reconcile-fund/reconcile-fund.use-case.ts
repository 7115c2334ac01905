import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import { Clock, crossedThresholds, FundBalances, fundInvariantBreaches, londonDate, usedOfGrantable } from '@sg/domain';
import { fundManagers, writeNotifications } from '@sg/notifications';
import { FundEntity, storedBalances } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { ledgerBalances } from '../fund-balances';
import { findFund } from '../funds.store';
import { insertFundAlert } from './reconcile-fund.store';

export interface Reconciliation {
  fundId: string;
  fromLedger: FundBalances;
  stored: FundBalances;
  drift: Partial<Record<keyof FundBalances, number>>;
  breaches: string[];
  /** Thresholds (basis points of the grantable amount) whose alert went out in this run. */
  alerted: number[];
}

/**
 * The budget job (docs/domain.md §7), after each money change and nightly. Recomputes a fund's balances
 * from its ledger and compares them with the stored summary: a difference is an alert to the
 * fund's managers and a log line, never silently "fixed", because the ledger is the record and a
 * drift means a bug to find. Then alerts the managers once per threshold of the grantable amount
 * that grants have reached (committed + disbursed − returned).
 */
@Injectable()
export class ReconcileFundUseCase {
  private readonly logger = new Logger(ReconcileFundUseCase.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(fundId: string): Promise<Reconciliation | null> {
    // One snapshot for both reads: a transition committing between them would look like drift.
    const read = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const fund = await findFund(m, fundId);
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
    const used = usedOfGrantable(fromLedger);
    const alerted = await this.dataSource.transaction(async (m) => {
      if (Object.keys(drift).length > 0 || breaches.length > 0) {
        this.logger.error(
          `fund ${fundId} does not reconcile: drift ${JSON.stringify(drift)}, breaches ${breaches.join(',') || 'none'}`,
        );
        // One drift alert a day at most: the nightly run repeats it until someone finds the cause.
        await this.alert(m, fund, 'drift', `drift:${fundId}:${londonDate(this.clock.now())}`, null, used, {
          drift,
          breaches,
        });
      }
      const crossed: number[] = [];
      for (const bp of crossedThresholds(used, fund.grantablePence, fund.alertThresholdsBasisPoints)) {
        if (await this.alert(m, fund, 'threshold', `threshold:${fundId}:${bp}`, bp, used, {})) crossed.push(bp);
      }
      return crossed;
    });
    return { fundId, fromLedger, stored, drift, breaches, alerted };
  }

  /** Records the alert once (its key is unique) and, the first time only, emails the fund's managers. */
  private async alert(
    m: EntityManager,
    fund: FundEntity,
    kind: 'threshold' | 'drift',
    key: string,
    bp: number | null,
    used: number,
    detail: object,
  ): Promise<boolean> {
    const row = await insertFundAlert(m, {
      fundId: fund.id,
      kind,
      dedupeKey: key,
      thresholdBasisPoints: bp,
      usedPence: used,
      grantablePence: fund.grantablePence,
      detail,
    });
    if (!row) return false;
    await writeNotifications(m, {
      template: kind === 'threshold' ? 'budget-threshold' : 'budget-drift',
      dedupePrefix: `fund-alert:${row.id}:`,
      recipients: await fundManagers(m, fund.id),
      fundAlertId: row.id,
    });
    return true;
  }
}
