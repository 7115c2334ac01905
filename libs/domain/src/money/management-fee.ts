import { FundBalances, FundMoneySettings, LedgerEntryDraft } from './fund-money';
import { basisPointsOf, Pence } from './pence';

/**
 * The amount the fee is charged on: the fund total; what is awarded (commitments less releases,
 * so a decline or an expired offer takes its award out); or what is disbursed net of returns.
 */
export function feeBasisAmount(settings: Pick<FundMoneySettings, 'feeBasis' | 'totalPence'>, b: FundBalances): Pence {
  switch (settings.feeBasis) {
    case 'fund_total':
      return settings.totalPence;
    case 'awarded':
      return b.committedPence + b.disbursedPence;
    case 'disbursed':
      return b.disbursedPence - b.returnedPence;
  }
}

/** The fee the fund owes its manager now: the rate on the basis, rounded down to the penny. */
export function feeDue(settings: FundMoneySettings, b: FundBalances): Pence {
  return basisPointsOf(Math.max(0, feeBasisAmount(settings, b)), settings.feeRateBasisPoints);
}

/**
 * The ledger entry that brings the posted fee to what is due, or null when they agree. Posting
 * only the difference is what makes the fee job idempotent: run it twice on the same balances and
 * the second run finds nothing to post.
 */
export function feeAdjustment(settings: FundMoneySettings, b: FundBalances): LedgerEntryDraft | null {
  const difference = feeDue(settings, b) - b.feePence;
  if (difference === 0) return null;
  return difference > 0 ? { kind: 'fee', amountPence: difference } : { kind: 'fee_reversal', amountPence: -difference };
}

/** A partner VDA's share of the fee, in basis points of the fee; the managing VDA keeps the rest. */
export interface FeeShare {
  partner: string;
  basisPoints: number;
}

export interface FeeStatementLine {
  partner: string;
  sharePence: Pence;
}

/**
 * Splits a period's net fee between the partners by their shares, rounding each share down; the
 * managing VDA receives the remainder, so the lines always add up to the fee exactly.
 */
export function splitFee(feePence: Pence, managing: string, shares: readonly FeeShare[]): FeeStatementLine[] {
  const lines = shares.map((s) => ({
    partner: s.partner,
    sharePence: feePence < 0 ? -basisPointsOf(-feePence, s.basisPoints) : basisPointsOf(feePence, s.basisPoints),
  }));
  const shared = lines.reduce((a, l) => a + l.sharePence, 0);
  return [{ partner: managing, sharePence: feePence - shared }, ...lines];
}

/** Shares must name distinct partners and leave the managing VDA something (at most 100% in all). */
export function feeShareProblems(shares: readonly FeeShare[], partners: readonly string[], managing: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of shares) {
    if (s.partner === managing)
      problems.push(`${s.partner} manages the fund and receives the remainder; give it no share`);
    else if (!partners.includes(s.partner)) problems.push(`${s.partner} is not a partner of the fund`);
    if (seen.has(s.partner)) problems.push(`${s.partner} has more than one share`);
    seen.add(s.partner);
  }
  if (shares.reduce((a, s) => a + s.basisPoints, 0) > 10_000)
    problems.push('The shares add up to more than 100% of the fee');
  return problems;
}
