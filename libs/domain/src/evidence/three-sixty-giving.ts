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
import {
  deiDetails,
  DeiDetails,
  geoCodeType,
  organisationIdentifier,
  partnerIdentifier,
} from './three-sixty-giving-codes';

export * from './three-sixty-giving-codes';

export const THREESIXTYGIVING_VERSION = '1.4';
/** The DEI extension's schema, as named in a package's `extensions`. */
export const DEI_EXTENSION =
  'https://raw.githubusercontent.com/ThreeSixtyGiving/360-dei/6ec59c26e95b556bf485eca243f36a09bc89bd65/schema/360-giving-schema.json';
/** regrantType.csv: "A grant awarded to a single grantmaking organisation for onward distribution as grants to end recipients." */
export const COMMON_REGRANT = 'FRG010';

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
