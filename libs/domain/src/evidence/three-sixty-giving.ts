/**
 * The fund's awards as 360Giving data (Data Standard 1.4, with the DEI extension), built from
 * plain facts with no I/O. What may leave the system is decided here, field by field:
 *
 * - Identifiers: grants are `<prefix>-<application reference>` (the prefix is the publisher's
 *   360Giving prefix, `360G-…`); organisations are org-id.guide identifiers from their registration
 *   numbers (GB-CHC, GB-SC, GB-NIC, GB-COH), or `<prefix>-org-<our id>` for groups with none.
 * - The funder of record is the managing VDA: it runs the call, its panel decides and it pays. The
 *   money came from the fund's funder (the PCC) as one grant to the managing VDA for onward
 *   grants; that grant is published as the package's first record, with `regrantType` FRG010
 *   ("Common Regrant"), so that aggregators see the chain and do not count the money twice.
 * - Beneficiary location is the application's area as an ONS code (and the area's name from the
 *   fund's configuration): never an address or a postcode.
 * - Titles and descriptions are generated from the fund and the organisation's name. Applicants'
 *   own words (project title, summary, answers) are free text that may describe people or places
 *   (a refuge, a survivor's story), and free text never leaves the system.
 * - For an organisation led by and for the communities it serves, `deiDetails` records the
 *   leadership and mission answers as DEI taxonomy codes mapped from the Census 2021 groups it
 *   chose (see CENSUS_TO_DEI). Its own description of those communities (free text) is not used.
 */
import { checkRegistrationNumber, LegalForm, LEGAL_FORMS } from '../organisations/organisation-identity';

export const THREESIXTYGIVING_VERSION = '1.4';
/** The DEI extension's schema, as named in a package's `extensions`. */
export const DEI_EXTENSION =
  'https://raw.githubusercontent.com/ThreeSixtyGiving/360-dei/6ec59c26e95b556bf485eca243f36a09bc89bd65/schema/360-giving-schema.json';
/** regrantType.csv: "A grant awarded to a single grantmaking organisation for onward distribution as grants to end recipients." */
export const COMMON_REGRANT = 'FRG010';

export interface OrganisationIdentity {
  id: string;
  charityNumber?: string;
  companyNumber?: string;
}

/**
 * An organisation's identifier (org-id.guide): a charity in England and Wales (a CIO too) is
 * GB-CHC-<number>, in Scotland GB-SC-SC<6 digits>, in Northern Ireland GB-NIC-<6 digits>; a
 * company (CIC, company limited by guarantee) is GB-COH-<8 characters>. Without a valid number,
 * the publisher's own `<prefix>-org-<internal id>`.
 */
export function organisationIdentifier(
  org: { id: string; legalForm: string; registrationNumber: string | null },
  prefix: string,
): OrganisationIdentity {
  const own = { id: `${prefix}-org-${org.id}` };
  if (!org.registrationNumber || !(LEGAL_FORMS as readonly string[]).includes(org.legalForm)) return own;
  const form = org.legalForm as LegalForm;
  const check = checkRegistrationNumber(form, org.registrationNumber);
  if (!check.ok || check.normalised === null) return own;
  const n = check.normalised;
  if (form === 'registered_charity' || form === 'cio') {
    if (n.startsWith('SC')) return { id: `GB-SC-${n}`, charityNumber: n };
    if (n.startsWith('NIC')) return { id: `GB-NIC-${n.slice(3)}`, charityNumber: n.slice(3) };
    return { id: `GB-CHC-${n}`, charityNumber: n };
  }
  if (form === 'cic' || form === 'company_limited_by_guarantee') return { id: `GB-COH-${n}`, companyNumber: n };
  return own;
}

/** A partner organisation (VDA or funder) has no registration number on record: the publisher's own identifier. */
export function partnerIdentifier(slug: string, prefix: string): string {
  return `${prefix}-partner-${slug}`;
}

/**
 * geoCodeType.csv names the type of an ONS code by its entity (the first three characters):
 * Stockton-on-Tees, E06000004, is a unitary authority (UA).
 */
const GEO_CODE_TYPES: Record<string, string> = {
  E05: 'WD',
  E06: 'UA',
  E07: 'NMD',
  E08: 'MD',
  E09: 'LONB',
  E10: 'CTY',
  E12: 'RGN/GOR',
  E14: 'WPC',
  S12: 'CA',
  S13: 'WD',
  W05: 'WD',
  W06: 'UA',
};

export function geoCodeType(code: string): string | null {
  return /^[A-Z]\d{8}$/.test(code) ? (GEO_CODE_TYPES[code.slice(0, 3)] ?? null) : null;
}

/**
 * Our communities (the 19 ethnic groups of the 2021 Census, libs/domain/src/organisations/
 * communities.ts) as DEI taxonomy codes (dei/taxonomyCodes.csv, "Communities experiencing racial
 * inequity"). Where the taxonomy has the same group, its subcategory; both mixed White and Black
 * groups are its one "White and Black"; Gypsy or Irish Traveller and Roma are its "Gypsy, Roma and
 * Traveller Communities". The taxonomy has no code for White British, Irish or any other White
 * background (it records groups experiencing racial inequity, and whether such a group is a migrant
 * community is not something the organisation told us), so those map to nothing.
 */
export const CENSUS_TO_DEI: Readonly<Record<string, string | null>> = {
  asian_bangladeshi: 'DEI010330',
  asian_chinese: 'DEI010340',
  asian_indian: 'DEI010310',
  asian_pakistani: 'DEI010320',
  asian_other: 'DEI010399',
  black_african: 'DEI010110',
  black_caribbean: 'DEI010120',
  black_other: 'DEI010199',
  mixed_white_asian: 'DEI010220',
  mixed_white_black_african: 'DEI010210',
  mixed_white_black_caribbean: 'DEI010210',
  mixed_other: 'DEI010299',
  white_british: null,
  white_irish: null,
  white_gypsy_traveller: 'DEI019930',
  white_roma: 'DEI019930',
  white_other: null,
  other_arab: 'DEI019910',
  other_any: 'DEI019999',
};

/** The population group, for an organisation serving communities in more than one of its categories. */
const RACIAL_INEQUITY = 'DEI010000';

/**
 * The DEI codes for the communities an organisation serves, in taxonomy order. Groups from more
 * than one category (e.g. Pakistani and African) add the population group code, which the
 * taxonomy describes as "supporting people from multiple communities".
 */
export function deiTaxonomyCodes(communities: readonly string[]): string[] {
  const codes = [
    ...new Set(communities.map((c) => CENSUS_TO_DEI[c]).filter((c): c is string => typeof c === 'string')),
  ].sort();
  const categories = new Set(codes.map((c) => c.slice(0, 7)));
  return categories.size > 1 ? [RACIAL_INEQUITY, ...codes] : codes;
}

export interface DeiApplicationArea {
  askedStatus: string;
  replyStatus?: string;
  availableOptions?: string[];
  response?: { taxonomyCodes: string[] };
}

export interface DeiDetails {
  leadership: DeiApplicationArea;
  mission: DeiApplicationArea;
  project: DeiApplicationArea;
}

/**
 * The DEI details of an organisation that told us, when applying, that it is led by and for the
 * communities it serves, and which (Census groups: a category or subcategory in DEI terms). Its
 * leadership and its mission are those communities. The project's own communities were not asked
 * separately (AS100). Nothing for other organisations, or where no group maps to a code.
 */
export function deiDetails(org: {
  ledByAndFor: boolean | null;
  communitiesServed: readonly string[];
}): DeiDetails | undefined {
  if (org.ledByAndFor !== true) return undefined;
  const taxonomyCodes = deiTaxonomyCodes(org.communitiesServed);
  if (taxonomyCodes.length === 0) return undefined;
  const answered = (): DeiApplicationArea => ({
    askedStatus: 'AS200',
    replyStatus: 'RS200',
    availableOptions: ['AO101', 'AO102'],
    response: { taxonomyCodes: [...taxonomyCodes] },
  });
  return { leadership: answered(), mission: answered(), project: { askedStatus: 'AS100' } };
}

export interface ThreeSixtyGivingOrganization {
  id: string;
  name: string;
  charityNumber?: string;
  companyNumber?: string;
}

export interface ThreeSixtyGivingLocation {
  name?: string;
  geoCode: string;
  geoCodeType?: string;
  countryCode: 'GB';
}

export interface ThreeSixtyGivingGrant {
  id: string;
  title: string;
  description: string;
  currency: string;
  amountAppliedFor?: number;
  amountAwarded: number;
  amountDisbursed?: number;
  awardDate: string;
  plannedDates?: { startDate: string; endDate?: string; duration?: number }[];
  recipientOrganization: ThreeSixtyGivingOrganization[];
  fundingOrganization: ThreeSixtyGivingOrganization[];
  beneficiaryLocation: ThreeSixtyGivingLocation[];
  grantProgramme: { code: string; title: string }[];
  fromOpenCall?: 'Yes' | 'No';
  regrantType?: string;
  dataSource: string;
  dateModified: string;
  deiDetails?: DeiDetails;
}

export interface FundFacts {
  slug: string;
  name: string;
  currency: string;
  totalPence: number;
  areas: readonly { code: string; name: string }[];
  managing: { slug: string; name: string };
  funder: { slug: string; name: string } | null;
  opensOn: string | null;
  programmeEndsOn: string | null;
  /** When the fund's money was allocated (YYYY-MM-DD, London). */
  allocatedOn: string;
  modifiedAt: Date;
}

export interface AwardFacts {
  reference: string;
  organisation: {
    id: string;
    name: string;
    legalForm: string;
    registrationNumber: string | null;
    ledByAndFor: boolean | null;
    communitiesServed: readonly string[];
  };
  areaCode: string;
  requestedPence: number | null;
  awardedPence: number;
  disbursedPence: number;
  returnedPence: number;
  /** The decision, YYYY-MM-DD (London). */
  decidedOn: string;
  /** Acceptance of the offer, YYYY-MM-DD (London); null while the offer is open. */
  acceptedOn: string | null;
  /** When the final report is due, YYYY-MM-DD: the end of the grant's planned period. */
  finalReportDueOn: string | null;
  modifiedAt: Date;
}

/** Integer pence as pounds (a JSON number): 450000 → 4500, 12345 → 123.45. */
export function penceToPounds(pence: number): number {
  return Math.round(pence) / 100;
}

function location(code: string, areas: FundFacts['areas']): ThreeSixtyGivingLocation {
  const type = geoCodeType(code);
  const name = areas.find((a) => a.code === code)?.name;
  return { ...(name ? { name } : {}), geoCode: code, ...(type ? { geoCodeType: type } : {}), countryCode: 'GB' };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Whole calendar months between two YYYY-MM-DD dates (the duration 360Giving asks for), when they fall on the same day of the month. */
function monthsBetween(start: string, end: string): number | undefined {
  const [y1, m1, d1] = start.split('-').map(Number);
  const [y2, m2, d2] = end.split('-').map(Number);
  const months = (y2 - y1) * 12 + (m2 - m1);
  return d1 === d2 && months > 0 ? months : undefined;
}

/** One award to an organisation, as a 360Giving grant. */
export function grantRecord(
  fund: FundFacts,
  award: AwardFacts,
  opts: { prefix: string; dataSource: string },
): ThreeSixtyGivingGrant {
  const org = award.organisation;
  const identity = organisationIdentifier(org, opts.prefix);
  const area = location(award.areaCode, fund.areas);
  const planned =
    award.acceptedOn === null
      ? undefined
      : [
          {
            startDate: award.acceptedOn,
            ...(award.finalReportDueOn ? { endDate: award.finalReportDueOn } : {}),
            ...(award.finalReportDueOn && monthsBetween(award.acceptedOn, award.finalReportDueOn)
              ? { duration: monthsBetween(award.acceptedOn, award.finalReportDueOn) }
              : {}),
          },
        ];
  const dei = deiDetails(org);
  return {
    id: `${opts.prefix}-${award.reference}`,
    title: clip(`${fund.name}: grant to ${org.name}`, 140),
    description: `A grant from ${fund.name}, managed by ${fund.managing.name}${fund.funder ? ` and funded by ${fund.funder.name}` : ''}, to ${org.name}${area.name ? ` in ${area.name}` : ''}.`,
    currency: fund.currency,
    ...(award.requestedPence !== null ? { amountAppliedFor: penceToPounds(award.requestedPence) } : {}),
    amountAwarded: penceToPounds(award.awardedPence),
    // What the organisation was paid and kept: payments less any money it returned.
    amountDisbursed: penceToPounds(award.disbursedPence - award.returnedPence),
    awardDate: award.decidedOn,
    ...(planned ? { plannedDates: planned } : {}),
    recipientOrganization: [
      {
        id: identity.id,
        name: org.name,
        ...(identity.charityNumber ? { charityNumber: identity.charityNumber } : {}),
        ...(identity.companyNumber ? { companyNumber: identity.companyNumber } : {}),
      },
    ],
    fundingOrganization: [{ id: partnerIdentifier(fund.managing.slug, opts.prefix), name: fund.managing.name }],
    beneficiaryLocation: [area],
    grantProgramme: [{ code: fund.slug, title: fund.name }],
    fromOpenCall: 'Yes',
    dataSource: opts.dataSource,
    dateModified: award.modifiedAt.toISOString(),
    ...(dei ? { deiDetails: dei } : {}),
  };
}

/** The funder's grant of the whole fund to the managing VDA for onward grants: the regrant. */
export function regrantRecord(
  fund: FundFacts,
  opts: { prefix: string; dataSource: string },
): ThreeSixtyGivingGrant | null {
  if (!fund.funder) return null;
  const start = fund.opensOn ?? fund.allocatedOn;
  return {
    id: `${opts.prefix}-fund-${fund.slug}`,
    title: clip(`${fund.name}: funding for onward grants`, 140),
    description: `${fund.funder.name} funds ${fund.name}; ${fund.managing.name} manages it and makes grants from it to community organisations.`,
    currency: fund.currency,
    amountAwarded: penceToPounds(fund.totalPence),
    awardDate: fund.allocatedOn,
    plannedDates: [{ startDate: start, ...(fund.programmeEndsOn ? { endDate: fund.programmeEndsOn } : {}) }],
    recipientOrganization: [{ id: partnerIdentifier(fund.managing.slug, opts.prefix), name: fund.managing.name }],
    fundingOrganization: [{ id: partnerIdentifier(fund.funder.slug, opts.prefix), name: fund.funder.name }],
    beneficiaryLocation: fund.areas.map((a) => location(a.code, fund.areas)),
    grantProgramme: [{ code: fund.slug, title: fund.name }],
    regrantType: COMMON_REGRANT,
    dataSource: opts.dataSource,
    dateModified: fund.modifiedAt.toISOString(),
  };
}

export interface ThreeSixtyGivingPackage {
  version: string;
  extensions: string[];
  title: string;
  identifier: string;
  modified: string;
  publisher: { identifier: string; name: string };
  grants: ThreeSixtyGivingGrant[];
}

/** The package: the regrant first, then every award, oldest decision first. */
export function threeSixtyGivingPackage(
  fund: FundFacts,
  awards: readonly AwardFacts[],
  opts: { prefix: string; dataSource: string; now: Date },
): ThreeSixtyGivingPackage {
  const regrant = regrantRecord(fund, opts);
  return {
    version: THREESIXTYGIVING_VERSION,
    extensions: [DEI_EXTENSION],
    title: `${fund.name}: grants`,
    identifier: `${opts.prefix}-fund-${fund.slug}-grants`,
    modified: opts.now.toISOString(),
    publisher: { identifier: partnerIdentifier(fund.managing.slug, opts.prefix), name: fund.managing.name },
    grants: [...(regrant ? [regrant] : []), ...awards.map((a) => grantRecord(fund, a, opts))],
  };
}
