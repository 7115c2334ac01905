import { EMPTY_BALANCES, FundMoneySettings } from './fund-money';
import { feeAdjustment, feeDue, feeShareProblems, splitFee } from './management-fee';

const pilot: FundMoneySettings = {
  totalPence: 3_000_000,
  feeRateBasisPoints: 1500,
  feeBasis: 'fund_total',
  feeTreatment: 'top_slice',
  maxPerOrganisationPence: 500_000,
};

describe('the management fee', () => {
  it('is £4,500 on the pilot fund and posts once: the second run finds nothing to post', () => {
    expect(feeDue(pilot, EMPTY_BALANCES)).toBe(450_000);
    expect(feeAdjustment(pilot, EMPTY_BALANCES)).toEqual({ kind: 'fee', amountPence: 450_000 });
    expect(feeAdjustment(pilot, { ...EMPTY_BALANCES, feePence: 450_000 })).toBeNull();
  });

  it('on an awarded basis follows approvals and releases to the penny, in both directions', () => {
    const awarded: FundMoneySettings = { ...pilot, feeBasis: 'awarded' };
    const approved = { ...EMPTY_BALANCES, committedPence: 433_333 };
    expect(feeAdjustment(awarded, approved)).toEqual({ kind: 'fee', amountPence: 64_999 });
    const declined = { ...approved, committedPence: 100_001, feePence: 64_999 };
    expect(feeAdjustment(awarded, declined)).toEqual({ kind: 'fee_reversal', amountPence: 64_999 - 15_000 });
    // Paying out moves money from committed to disbursed: still awarded, so no change in the fee.
    expect(
      feeAdjustment(awarded, { ...EMPTY_BALANCES, committedPence: 0, disbursedPence: 100_001, feePence: 15_000 }),
    ).toBeNull();
  });

  it('on a disbursed basis counts what was paid net of returns', () => {
    const disbursed: FundMoneySettings = { ...pilot, feeBasis: 'disbursed' };
    expect(
      feeDue(disbursed, { ...EMPTY_BALANCES, committedPence: 900_000, disbursedPence: 200_000, returnedPence: 20_000 }),
    ).toBe(27_000);
  });

  it('splits a period’s fee by shares, the managing VDA taking the remainder so the lines add up', () => {
    const lines = splitFee(450_001, 'catalyst', [
      { partner: 'hartlepool', basisPoints: 2000 },
      { partner: 'middlesbrough', basisPoints: 2000 },
    ]);
    expect(lines).toEqual([
      { partner: 'catalyst', sharePence: 270_001 },
      { partner: 'hartlepool', sharePence: 90_000 },
      { partner: 'middlesbrough', sharePence: 90_000 },
    ]);
    const reversal = splitFee(-1001, 'catalyst', [{ partner: 'hartlepool', basisPoints: 5000 }]);
    expect(reversal.reduce((a, l) => a + l.sharePence, 0)).toBe(-1001);
  });

  it('refuses shares for strangers, the manager, twice, or over 100%', () => {
    expect(
      feeShareProblems(
        [
          { partner: 'a', basisPoints: 6000 },
          { partner: 'a', basisPoints: 5000 },
          { partner: 'x', basisPoints: 1 },
          { partner: 'm', basisPoints: 1 },
        ],
        ['a'],
        'm',
      ),
    ).toEqual([
      'a has more than one share',
      'x is not a partner of the fund',
      'm manages the fund and receives the remainder; give it no share',
      'The shares add up to more than 100% of the fee',
    ]);
    expect(feeShareProblems([{ partner: 'a', basisPoints: 5000 }], ['a', 'b'], 'm')).toEqual([]);
  });
});
