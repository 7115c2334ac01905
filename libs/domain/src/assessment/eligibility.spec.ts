import { eligibilityChecks, EligibilityFacts } from './eligibility';

const base: EligibilityFacts = {
  submittedOn: '2026-12-10',
  opensOn: '2026-12-01',
  closesOn: '2027-02-26',
  legalForm: 'cio',
  eligibleLegalForms: [],
  areaCode: 'E06000004',
  fundAreaCodes: ['E06000001', 'E06000004'],
  requestedPence: 450_000,
  maxPerOrganisationPence: 500_000,
  organisationAwardedPence: 0,
  missingDocuments: [],
  ledByAndFor: true,
};
const failed = (f: Partial<EligibilityFacts>) =>
  eligibilityChecks({ ...base, ...f })
    .filter((c) => !c.passed)
    .map((c) => [c.id, c.reason]);

describe('eligibilityChecks', () => {
  it('passes a good application on every check, with reasons', () => {
    const checks = eligibilityChecks(base);
    expect(checks.map((c) => c.id)).toEqual([
      'fund_open',
      'legal_form',
      'area',
      'amount_within_headroom',
      'documents',
      'led_by_and_for',
    ]);
    expect(checks.every((c) => c.passed && c.reason.length > 10)).toBe(true);
  });

  it('fails each check on its own, saying why', () => {
    expect(failed({ submittedOn: '2026-11-30' })).toEqual([
      ['fund_open', 'Submitted on 2026-11-30, before the fund opened on 2026-12-01'],
    ]);
    expect(failed({ submittedOn: '2027-02-27' })).toEqual([
      ['fund_open', 'Submitted on 2027-02-27, after the fund closed on 2027-02-26'],
    ]);
    expect(failed({ submittedOn: '2026-12-01' })).toEqual([]);
    expect(failed({ submittedOn: '2027-02-26' })).toEqual([]);
    expect(failed({ eligibleLegalForms: ['registered_charity'] })).toEqual([
      ['legal_form', 'The fund does not accept cio'],
    ]);
    expect(failed({ areaCode: 'E06000099' })).toEqual([['area', "Area E06000099 is outside the fund's areas"]]);
    expect(failed({ organisationAwardedPence: 50_000 })).toEqual([]);
    expect(failed({ organisationAwardedPence: 50_001 })).toEqual([
      [
        'amount_within_headroom',
        "£4,500.00 is more than the organisation's remaining £4,499.99 (already awarded £500.01)",
      ],
    ]);
    expect(failed({ missingDocuments: ['Safeguarding policy'] })).toEqual([
      ['documents', 'Missing: Safeguarding policy'],
    ]);
    expect(failed({ ledByAndFor: null }).map(([id]) => id)).toEqual(['led_by_and_for']);
  });
});
