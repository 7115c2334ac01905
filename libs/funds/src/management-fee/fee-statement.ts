import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, FeeShare, splitFee } from '@sg/domain';
import { DataSource } from 'typeorm';
import { requireFundOfficer } from '../read-fund/fund-queries';
import { feeByMonth, feeStatementFund, partnerNamesOf } from './management-fee.store';

export interface FeeStatementPeriod {
  /** A calendar month in Europe/London, YYYY-MM. */
  period: string;
  chargedPence: number;
  reversedPence: number;
  netPence: number;
  cumulativePence: number;
  shares: { partner: string; name: string; sharePence: number }[];
}

export interface FeeStatement {
  fundId: string;
  fundName: string;
  basis: string;
  rateBasisPoints: number;
  treatment: string;
  managing: { slug: string; name: string };
  periods: FeeStatementPeriod[];
  totalPence: number;
}

/**
 * The managing VDA's fee statement: the fee posted and reversed in each month, the running total,
 * and each partner's share of the month's fee (the managing VDA receives the remainder).
 */
@Injectable()
export class FeeStatements {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async statement(actor: Actor, fundId: string): Promise<FeeStatement> {
    const m = this.dataSource.manager;
    await requireFundOfficer(m, actor, fundId, 'fee statement');
    const fund = await feeStatementFund(m, fundId);
    const names = await partnerNamesOf(m, fundId);
    const nameOf = new Map(names.map((n) => [n.slug, n.name]));
    const rows = await feeByMonth(m, fundId);
    let cumulative = 0;
    const periods = rows.map((r) => {
      const net = r.charged - r.reversed;
      cumulative += net;
      const shares = splitFee(net, fund.managing_slug, fund.fee_shares as FeeShare[]).map((l) => ({
        ...l,
        name: nameOf.get(l.partner) ?? l.partner,
      }));
      return {
        period: r.period,
        chargedPence: r.charged,
        reversedPence: r.reversed,
        netPence: net,
        cumulativePence: cumulative,
        shares,
      };
    });
    return {
      fundId,
      fundName: fund.name,
      basis: fund.fee_basis,
      rateBasisPoints: fund.fee_rate_bp,
      treatment: fund.fee_treatment,
      managing: { slug: fund.managing_slug, name: fund.managing_name },
      periods,
      totalPence: cumulative,
    };
  }
}
