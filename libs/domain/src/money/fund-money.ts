import { basisPointsOf, Pence } from './pence';

export const FEE_BASES = ['fund_total', 'awarded', 'disbursed'] as const;
export type FeeBasis = (typeof FEE_BASES)[number];
export const FEE_TREATMENTS = ['top_slice', 'on_top'] as const;
export type FeeTreatment = (typeof FEE_TREATMENTS)[number];

export interface FundMoneySettings {
  totalPence: Pence;
  /** Basis points: 1500 = 15%. */
  feeRateBasisPoints: number;
  feeBasis: FeeBasis;
  feeTreatment: FeeTreatment;
  maxPerOrganisationPence: Pence;
}

/** `fee_reversal` gives back fee posted earlier, when the amount the fee is charged on falls. */
export const LEDGER_KINDS = [
  'allocation',
  'fee',
  'fee_reversal',
  'commitment',
  'release',
  'disbursement',
  'return',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerEntryDraft {
  kind: LedgerKind;
  /** Always positive; the kind says which way the money moves. */
  amountPence: Pence;
}

/**
 * The fund's balances, derived from its ledger. `committedPence` is what is promised but not yet
 * paid (commitments − releases − disbursements), so committed + disbursed − returned is what the
 * grants use of the grantable amount.
 */
export interface FundBalances {
  allocatedPence: Pence;
  feePence: Pence;
  committedPence: Pence;
  disbursedPence: Pence;
  returnedPence: Pence;
}

export const EMPTY_BALANCES: FundBalances = {
  allocatedPence: 0,
  feePence: 0,
  committedPence: 0,
  disbursedPence: 0,
  returnedPence: 0,
};

/**
 * The fee the fund's definition fixes at creation, when its basis is the fund total. Fees on the
 * awarded or disbursed amount are calculated as money moves (the fee job), so they start at 0.
 */
export function feeAtCreation(settings: FundMoneySettings): Pence {
  return settings.feeBasis === 'fund_total' ? basisPointsOf(settings.totalPence, settings.feeRateBasisPoints) : 0;
}

/**
 * What may be granted. Top-sliced, the fee comes out of the total: for a fee on the fund total
 * that is total − fee; for a fee on the awarded or disbursed amount the grants g must satisfy
 * g + fee(g) ≤ total, so g = ⌊total × 10000 / (10000 + rate)⌋. On top, the fee is paid in
 * addition and the whole total is grantable.
 */
export function grantableAmount(settings: FundMoneySettings): Pence {
  if (settings.feeTreatment === 'on_top') return settings.totalPence;
  if (settings.feeBasis === 'fund_total') return settings.totalPence - feeAtCreation(settings);
  return Math.floor((settings.totalPence * 10_000) / (10_000 + settings.feeRateBasisPoints));
}

export function usedOfGrantable(b: FundBalances): Pence {
  return b.committedPence + b.disbursedPence - b.returnedPence;
}

export function availableForGrants(grantablePence: Pence, b: FundBalances): Pence {
  return grantablePence - usedOfGrantable(b);
}

export function applyLedgerEntry(b: FundBalances, e: LedgerEntryDraft): FundBalances {
  switch (e.kind) {
    case 'allocation':
      return { ...b, allocatedPence: b.allocatedPence + e.amountPence };
    case 'fee':
      return { ...b, feePence: b.feePence + e.amountPence };
    case 'fee_reversal':
      return { ...b, feePence: b.feePence - e.amountPence };
    case 'commitment':
      return { ...b, committedPence: b.committedPence + e.amountPence };
    case 'release':
      return { ...b, committedPence: b.committedPence - e.amountPence };
    case 'disbursement':
      return {
        ...b,
        committedPence: b.committedPence - e.amountPence,
        disbursedPence: b.disbursedPence + e.amountPence,
      };
    case 'return':
      return { ...b, returnedPence: b.returnedPence + e.amountPence };
  }
}

export function balancesFromLedger(entries: readonly LedgerEntryDraft[]): FundBalances {
  return entries.reduce(applyLedgerEntry, EMPTY_BALANCES);
}

export type FundInvariantBreach =
  'negative_amount' | 'committed_below_zero' | 'returned_exceeds_disbursed' | 'grants_exceed_grantable';

/** docs/domain.md §4's fund invariants; an empty list means the balances are sound. */
export function fundInvariantBreaches(grantablePence: Pence, b: FundBalances): FundInvariantBreach[] {
  const breaches: FundInvariantBreach[] = [];
  if (Object.values(b).some((v) => v < 0 && v !== b.committedPence)) breaches.push('negative_amount');
  if (b.committedPence < 0) breaches.push('committed_below_zero');
  if (b.returnedPence > b.disbursedPence) breaches.push('returned_exceeds_disbursed');
  if (usedOfGrantable(b) > grantablePence) breaches.push('grants_exceed_grantable');
  return breaches;
}

/** Money promised to one organisation in a fund: commitments less releases. */
export function awardedFromLedger(entries: readonly LedgerEntryDraft[]): Pence {
  return entries.reduce(
    (sum, e) => (e.kind === 'commitment' ? sum + e.amountPence : e.kind === 'release' ? sum - e.amountPence : sum),
    0,
  );
}

/** Splits an award into tranches by percentages; rounding remainders go to the last tranche. */
export function splitByPercent(award: Pence, percents: readonly number[]): Pence[] {
  const parts = percents.map((p) => Math.floor((award * p) / 100));
  const assigned = parts.reduce((a, b) => a + b, 0);
  if (parts.length > 0) parts[parts.length - 1] += award - assigned;
  return parts;
}

/**
 * The alert thresholds (basis points of the grantable amount) that grants have reached, in
 * integer arithmetic: used × 10000 ≥ grantable × threshold.
 */
export function crossedThresholds(
  usedPence: Pence,
  grantablePence: Pence,
  thresholdsBasisPoints: readonly number[],
): number[] {
  return [...thresholdsBasisPoints]
    .sort((a, b) => a - b)
    .filter((bp) => grantablePence > 0 && usedPence * 10_000 >= grantablePence * bp);
}
