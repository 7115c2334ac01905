// The codes and identifiers a 360Giving record uses: org-id.guide identifiers from registration
// numbers, ONS geography code types, and the DEI taxonomy codes for the communities a group serves.
import { checkRegistrationNumber, LegalForm, LEGAL_FORMS } from '../organisations/organisation-identity';

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
