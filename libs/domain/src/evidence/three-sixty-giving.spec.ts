import { codeList, threeSixtyGivingValidator } from '../../../../test/support/three-sixty-giving-schema';
import { ETHNIC_GROUPS } from '../organisations/communities';
import {
  AwardFacts,
  CENSUS_TO_DEI,
  deiDetails,
  deiTaxonomyCodes,
  FundFacts,
  geoCodeType,
  grantRecord,
  organisationIdentifier,
  penceToPounds,
  threeSixtyGivingPackage,
} from './three-sixty-giving';

const PREFIX = '360G-test';
const OPTS = {
  prefix: PREFIX,
  dataSource: 'https://grants.example/api/v1/funds/f/exports/360giving.json',
  now: new Date('2027-03-01T10:00:00Z'),
};

const FUND: FundFacts = {
  slug: 'cleveland-small-grants-pilot',
  name: 'Cleveland Small Grants Fund (pilot)',
  currency: 'GBP',
  totalPence: 3_000_000,
  areas: [
    { code: 'E06000002', name: 'Middlesbrough' },
    { code: 'E06000004', name: 'Stockton-on-Tees' },
  ],
  managing: { slug: 'catalyst', name: 'Catalyst Stockton-on-Tees' },
  funder: { slug: 'cleveland-pcc', name: 'Office of the Police and Crime Commissioner for Cleveland' },
  opensOn: '2026-12-01',
  programmeEndsOn: null,
  allocatedOn: '2026-11-20',
  modifiedAt: new Date('2026-11-20T09:00:00Z'),
};

function award(overrides: Partial<AwardFacts> = {}, org: Partial<AwardFacts['organisation']> = {}): AwardFacts {
  return {
    reference: 'SG-0000ABCD',
    organisation: {
      id: '8f0c1f7e-0000-4000-8000-000000000001',
      name: 'Tees Valley Sisters',
      legalForm: 'cio',
      registrationNumber: '1190001',
      ledByAndFor: true,
      communitiesServed: ['asian_pakistani', 'asian_indian'],
      ...org,
    },
    areaCode: 'E06000004',
    requestedPence: 450_000,
    awardedPence: 400_000,
    disbursedPence: 400_000,
    returnedPence: 12_345,
    decidedOn: '2027-01-10',
    acceptedOn: '2027-01-15',
    finalReportDueOn: '2028-01-15',
    modifiedAt: new Date('2027-01-15T12:00:00Z'),
    ...overrides,
  };
}

describe('360Giving organisation identifiers (org-id.guide)', () => {
  const id = '8f0c1f7e-0000-4000-8000-000000000009';
  it.each([
    ['registered_charity', '1190001', { id: 'GB-CHC-1190001', charityNumber: '1190001' }],
    ['cio', '512345', { id: 'GB-CHC-512345', charityNumber: '512345' }],
    ['cio', 'sc012345', { id: 'GB-SC-SC012345', charityNumber: 'SC012345' }],
    ['registered_charity', 'NIC100001', { id: 'GB-NIC-100001', charityNumber: '100001' }],
    ['cic', '1234567', { id: 'GB-COH-01234567', companyNumber: '01234567' }],
    ['company_limited_by_guarantee', 'SC123456', { id: 'GB-COH-SC123456', companyNumber: 'SC123456' }],
    ['unincorporated_community_group', null, { id: `${PREFIX}-org-${id}` }],
    ['other', 'ABC/123', { id: `${PREFIX}-org-${id}` }],
    ['registered_charity', 'not a number', { id: `${PREFIX}-org-${id}` }],
    ['cio', null, { id: `${PREFIX}-org-${id}` }],
  ])('%s %j → %j', (legalForm, registrationNumber, expected) => {
    expect(organisationIdentifier({ id, legalForm, registrationNumber }, PREFIX)).toEqual(expected);
  });
});

describe('beneficiary locations', () => {
  it('names the ONS code type from geoCodeType.csv: unitary authorities are UA', () => {
    expect(['E06000001', 'E06000004', 'W06000015', 'E08000021', 'E07000026', 'S12000036'].map(geoCodeType)).toEqual([
      'UA',
      'UA',
      'UA',
      'MD',
      'NMD',
      'CA',
    ]);
    expect([geoCodeType('TS18 1AA'), geoCodeType('E99000001')]).toEqual([null, null]);
    const types = codeList('geoCodeType.csv');
    expect(['UA', 'MD', 'NMD', 'CA', 'WD', 'LONB', 'CTY', 'WPC', 'RGN/GOR'].every((t) => types.has(t))).toBe(true);
  });
});

describe('DEI taxonomy codes for the communities an organisation serves', () => {
  it('has a decision for every Census 2021 group, and every code is in the taxonomy', () => {
    const taxonomy = codeList('dei/taxonomyCodes.csv');
    expect(Object.keys(CENSUS_TO_DEI).sort()).toEqual(ETHNIC_GROUPS.map((g) => g.value).sort());
    for (const code of Object.values(CENSUS_TO_DEI)) if (code !== null) expect(taxonomy.has(code)).toBe(true);
    expect(taxonomy.has('DEI010000')).toBe(true);
  });

  it('maps groups to subcategories, adding the population group across categories, and nothing for White British', () => {
    expect(deiTaxonomyCodes(['asian_pakistani', 'asian_indian'])).toEqual(['DEI010310', 'DEI010320']);
    expect(
      deiTaxonomyCodes([
        'black_african',
        'asian_pakistani',
        'mixed_white_black_african',
        'mixed_white_black_caribbean',
      ]),
    ).toEqual(['DEI010000', 'DEI010110', 'DEI010210', 'DEI010320']);
    expect(deiTaxonomyCodes(['white_gypsy_traveller', 'white_roma'])).toEqual(['DEI019930']);
    expect(deiTaxonomyCodes(['white_british', 'white_irish', 'white_other'])).toEqual([]);
  });

  it('records leadership and mission only for organisations led by and for their communities', () => {
    expect(deiDetails({ ledByAndFor: false, communitiesServed: ['asian_pakistani'] })).toBeUndefined();
    expect(deiDetails({ ledByAndFor: null, communitiesServed: ['asian_pakistani'] })).toBeUndefined();
    expect(deiDetails({ ledByAndFor: true, communitiesServed: ['white_british'] })).toBeUndefined();
    expect(deiDetails({ ledByAndFor: true, communitiesServed: ['other_arab'] })).toEqual({
      leadership: {
        askedStatus: 'AS200',
        replyStatus: 'RS200',
        availableOptions: ['AO101', 'AO102'],
        response: { taxonomyCodes: ['DEI019910'] },
      },
      mission: {
        askedStatus: 'AS200',
        replyStatus: 'RS200',
        availableOptions: ['AO101', 'AO102'],
        response: { taxonomyCodes: ['DEI019910'] },
      },
      project: { askedStatus: 'AS100' },
    });
  });
});

describe('a grant record', () => {
  it('carries ids, amounts in pounds, dates and the area code, with generated words only', () => {
    const g = grantRecord(FUND, award(), OPTS);
    expect(g).toMatchObject({
      id: '360G-test-SG-0000ABCD',
      title: 'Cleveland Small Grants Fund (pilot): grant to Tees Valley Sisters',
      currency: 'GBP',
      amountAppliedFor: 4500,
      amountAwarded: 4000,
      amountDisbursed: 3876.55,
      awardDate: '2027-01-10',
      plannedDates: [{ startDate: '2027-01-15', endDate: '2028-01-15', duration: 12 }],
      recipientOrganization: [{ id: 'GB-CHC-1190001', name: 'Tees Valley Sisters', charityNumber: '1190001' }],
      fundingOrganization: [{ id: '360G-test-partner-catalyst', name: 'Catalyst Stockton-on-Tees' }],
      beneficiaryLocation: [{ name: 'Stockton-on-Tees', geoCode: 'E06000004', geoCodeType: 'UA', countryCode: 'GB' }],
      grantProgramme: [{ code: 'cleveland-small-grants-pilot', title: 'Cleveland Small Grants Fund (pilot)' }],
      dateModified: '2027-01-15T12:00:00.000Z',
    });
    expect(g.description).toBe(
      'A grant from Cleveland Small Grants Fund (pilot), managed by Catalyst Stockton-on-Tees and funded by Office of the Police and Crime Commissioner for Cleveland, to Tees Valley Sisters in Stockton-on-Tees.',
    );
    expect(g.deiDetails?.leadership.response?.taxonomyCodes).toEqual(['DEI010310', 'DEI010320']);
    expect(g.regrantType).toBeUndefined();
  });

  it('has no planned dates before the offer is accepted, and keeps a long title under 140 characters', () => {
    const g = grantRecord(FUND, award({ acceptedOn: null, finalReportDueOn: null }, { name: 'A'.repeat(200) }), OPTS);
    expect(g.plannedDates).toBeUndefined();
    expect(g.title.length).toBeLessThanOrEqual(140);
    expect(penceToPounds(1)).toBe(0.01);
  });
});

describe('the 360Giving package', () => {
  const validate = threeSixtyGivingValidator();

  it('puts the funder’s regrant to the managing VDA first and validates against the standard and the DEI extension', () => {
    const pkg = threeSixtyGivingPackage(
      FUND,
      [
        award(),
        award(
          { reference: 'SG-0000ABCE', acceptedOn: null, finalReportDueOn: null },
          { legalForm: 'unincorporated_community_group', registrationNumber: null, ledByAndFor: false },
        ),
      ],
      OPTS,
    );
    expect(validate(pkg)).toEqual([]);
    expect(pkg.grants.map((g) => g.id)).toEqual([
      '360G-test-fund-cleveland-small-grants-pilot',
      '360G-test-SG-0000ABCD',
      '360G-test-SG-0000ABCE',
    ]);
    expect(pkg.grants[0]).toMatchObject({
      regrantType: 'FRG010',
      amountAwarded: 30000,
      fundingOrganization: [
        { id: '360G-test-partner-cleveland-pcc', name: 'Office of the Police and Crime Commissioner for Cleveland' },
      ],
      recipientOrganization: [{ id: '360G-test-partner-catalyst', name: 'Catalyst Stockton-on-Tees' }],
    });
    expect(pkg.grants[2].recipientOrganization[0].id).toBe('360G-test-org-8f0c1f7e-0000-4000-8000-000000000001');
    expect(pkg.grants[2].deiDetails).toBeUndefined();
  });

  it('is refused by the validator when a code is not in its list or a required field is missing', () => {
    const pkg = threeSixtyGivingPackage(FUND, [award()], OPTS) as unknown as { grants: Record<string, any>[] };
    pkg.grants[0].regrantType = 'FRG999';
    pkg.grants[1].deiDetails.leadership.response.taxonomyCodes = ['DEI999999'];
    delete pkg.grants[1].awardDate;
    const errors = validate(pkg).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        '/grants/0/regrantType codelist',
        '/grants/1/deiDetails/leadership/response/taxonomyCodes/0 codelist',
      ]),
    );
    expect(errors.some((e) => e.includes('required') || e.includes('oneOf'))).toBe(true);
  });
});
