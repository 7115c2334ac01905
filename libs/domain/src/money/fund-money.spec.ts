import {
  availableForGrants,
  balancesFromLedger,
  crossedThresholds,
  feeAtCreation,
  FundMoneySettings,
  fundInvariantBreaches,
  grantableAmount,
  splitByPercent,
} from './fund-money';
import { poundsWithPence } from './pence';
import { basisPointsOf, formatPounds, isPence } from './pence';

const PILOT: FundMoneySettings = {
  totalPence: 3_000_000,
  feeRateBasisPoints: 1500,
  feeBasis: 'fund_total',
  feeTreatment: 'top_slice',
  maxPerOrganisationPence: 500_000,
};

describe('fund money', () => {
  it('the pilot fund: £30,000, 15% of the total top-sliced, leaves £25,500 for grants', () => {
    expect(feeAtCreation(PILOT)).toBe(450_000);
    expect(grantableAmount(PILOT)).toBe(2_550_000);
  });

  it('a fee paid on top leaves the whole total grantable', () => {
    expect(grantableAmount({ ...PILOT, feeTreatment: 'on_top' })).toBe(3_000_000);
  });

  it('a top-sliced fee on the awarded amount leaves grants plus their fee within the total', () => {
    const settings = { ...PILOT, feeBasis: 'awarded' as const };
    const g = grantableAmount(settings);
    expect(feeAtCreation(settings)).toBe(0);
    expect(g + basisPointsOf(g, 1500)).toBeLessThanOrEqual(3_000_000);
    expect(g + 1 + basisPointsOf(g + 1, 1500)).toBeGreaterThan(3_000_000 - 1);
  });

  it('derives balances from the ledger: disbursement moves money from committed to disbursed', () => {
    const b = balancesFromLedger([
      { kind: 'allocation', amountPence: 3_000_000 },
      { kind: 'fee', amountPence: 450_000 },
      { kind: 'commitment', amountPence: 500_000 },
      { kind: 'commitment', amountPence: 200_000 },
      { kind: 'release', amountPence: 200_000 },
      { kind: 'disbursement', amountPence: 300_000 },
      { kind: 'return', amountPence: 20_000 },
    ]);
    expect(b).toEqual({
      allocatedPence: 3_000_000,
      feePence: 450_000,
      committedPence: 200_000,
      disbursedPence: 300_000,
      returnedPence: 20_000,
    });
    expect(availableForGrants(2_550_000, b)).toBe(2_550_000 - 480_000);
    expect(fundInvariantBreaches(2_550_000, b)).toEqual([]);
    expect(fundInvariantBreaches(400_000, b)).toEqual(['grants_exceed_grantable']);
    expect(fundInvariantBreaches(2_550_000, { ...b, committedPence: -1 })).toEqual(['committed_below_zero']);
  });

  it('splits an award into tranches that add up exactly', () => {
    expect(splitByPercent(100_001, [50, 50])).toEqual([50_000, 50_001]);
    expect(splitByPercent(499_999, [30, 30, 40]).reduce((a, b) => a + b, 0)).toBe(499_999);
  });

  it('formats pence for people and recognises whole pence', () => {
    expect(formatPounds(2_550_000)).toBe('£25,500.00');
    expect(formatPounds(5)).toBe('£0.05');
    expect(formatPounds(-12_345)).toBe('-£123.45');
    expect(isPence(1.5)).toBe(false);
    expect(isPence(2 ** 53)).toBe(false);
  });
});

describe('budget thresholds', () => {
  it('counts a threshold reached at exactly its share of the grantable amount, never a penny early', () => {
    expect(crossedThresholds(1_912_499, 2_550_000, [9000, 7500, 10000])).toEqual([]);
    expect(crossedThresholds(1_912_500, 2_550_000, [9000, 7500, 10000])).toEqual([7500]);
    expect(crossedThresholds(2_550_000, 2_550_000, [7500, 9000, 10000])).toEqual([7500, 9000, 10000]);
    expect(crossedThresholds(10, 0, [7500])).toEqual([]);
  });
});

describe('pounds with pence for files', () => {
  it('writes two decimals from integer pence, including large and negative amounts', () => {
    expect([450_000, 5, 0, -5, 123_456_789_012_345].map(poundsWithPence)).toEqual([
      '4500.00',
      '0.05',
      '0.00',
      '-0.05',
      '1234567890123.45',
    ]);
  });
});
