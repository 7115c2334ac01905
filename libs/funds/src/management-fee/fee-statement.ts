import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, FeeShare, splitFee } from '@sg/domain';
import { DataSource } from 'typeorm';
import { requireFundOfficer } from '../read-fund/fund-queries';

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
    const [fund] = await m.query(
      `SELECT f.id, f.name, f.fee_basis, f.fee_rate_bp, f.fee_treatment, f.fee_shares, po.slug AS managing_slug, po.name AS managing_name
       FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id AND fp.role = 'managing' JOIN partner_organisations po ON po.id = fp.partner_organisation_id
       WHERE f.id = $1`,
      [fundId],
    );
    const names: { slug: string; name: string }[] = await m.query(
      `SELECT po.slug, po.name FROM fund_partners fp JOIN partner_organisations po ON po.id = fp.partner_organisation_id WHERE fp.fund_id = $1`,
      [fundId],
    );
    const nameOf = new Map(names.map((n) => [n.slug, n.name]));
    const rows: { period: string; charged: number; reversed: number }[] = await m.query(
      `SELECT to_char(created_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS period,
              coalesce(sum(amount_pence) FILTER (WHERE kind = 'fee'), 0)::bigint AS charged,
              coalesce(sum(amount_pence) FILTER (WHERE kind = 'fee_reversal'), 0)::bigint AS reversed
       FROM ledger_entries WHERE fund_id = $1 AND kind IN ('fee', 'fee_reversal') GROUP BY 1 ORDER BY 1`,
      [fundId],
    );
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
