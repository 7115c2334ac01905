import {
  checkRegistrationNumber,
  DuplicateReason,
  FieldProblem,
  isEthnicGroup,
  NAME_LINK_MESSAGE,
  nameHasLink,
  LEGAL_FORMS,
  LegalForm,
  normalisePostcode,
  UseCaseError,
} from '@sg/domain';

export { LEGAL_FORMS };
export type { LegalForm };

/** An organisation's profile as an applicant gives it (API body or portal form). */
export interface OrganisationProfile {
  name: string;
  legalForm: LegalForm;
  registrationNumber?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  town?: string | null;
  postcode?: string | null;
  areaCode: string;
  communitiesServed?: string[];
  communitiesOther?: string | null;
  languages?: string[];
  ledByAndFor?: boolean | null;
  ledByAndForStatement?: string | null;
  safeguardingLeadName?: string | null;
  safeguardingLeadRole?: string | null;
}

export interface OrganisationView {
  id: string;
  name: string;
  legalForm: string;
  registrationNumber: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
  areaCode: string;
  communitiesServed: string[];
  communitiesOther: string | null;
  languages: string[];
  ledByAndFor: boolean | null;
  ledByAndForStatement: string | null;
  safeguardingLeadName: string | null;
  safeguardingLeadRole: string | null;
  /** The caller's role in it, for members. */
  yourRole?: 'owner' | 'member';
  /** Officers only: organisations this one appears to duplicate, and why. */
  duplicateFlags?: { organisationId: string; name: string; reason: DuplicateReason }[];
  createdAt: string;
}

/** A profile that passed every check: trimmed, normalised, nothing left undefined. */
export type CheckedProfile = Required<{
  [K in keyof OrganisationProfile]: Exclude<OrganisationProfile[K], undefined>;
}> & {
  postcode: string;
};

/** Every field checked at once, so a form can show every problem together. */
export function checkProfile(p: OrganisationProfile, areas: Map<string, string>): CheckedProfile {
  const problems: FieldProblem[] = [];
  const text = (field: keyof OrganisationProfile, max: number, required: boolean, message: string): string | null => {
    const v = typeof p[field] === 'string' ? (p[field] as string).trim().replace(/\s+/g, ' ') : '';
    if (v === '' && required) problems.push({ field, message });
    else if (v.length > max) problems.push({ field, message: `Use ${max} characters or fewer` });
    return v === '' ? null : v;
  };
  const name = text('name', 200, true, 'Enter the organisation’s name');
  if (name && nameHasLink(name)) problems.push({ field: 'name', message: NAME_LINK_MESSAGE });
  if (!(LEGAL_FORMS as readonly string[]).includes(p.legalForm))
    problems.push({ field: 'legalForm', message: 'Select the organisation’s legal form' });
  const reg = (LEGAL_FORMS as readonly string[]).includes(p.legalForm)
    ? checkRegistrationNumber(p.legalForm, p.registrationNumber)
    : { ok: true as const, normalised: null };
  if (!reg.ok) problems.push({ field: 'registrationNumber', message: reg.message });
  const addressLine1 = text('addressLine1', 200, true, 'Enter the first line of the address');
  const addressLine2 = text('addressLine2', 200, false, '');
  const town = text('town', 100, true, 'Enter the town or city');
  const postcode = normalisePostcode(p.postcode);
  if (!postcode) problems.push({ field: 'postcode', message: 'Enter a real postcode, like TS18 1AA' });
  if (!areas.has(p.areaCode))
    problems.push({ field: 'areaCode', message: 'Select the area where the organisation works' });
  const communities = [...new Set(p.communitiesServed ?? [])];
  if (communities.some((c) => !isEthnicGroup(c)))
    problems.push({ field: 'communitiesServed', message: 'Select only the communities listed' });
  const communitiesOther = text('communitiesOther', 300, false, '');
  if (communities.length === 0 && !communitiesOther)
    problems.push({
      field: 'communitiesServed',
      message: 'Select the communities you serve, or describe them in your own words',
    });
  const languages = [...new Set((p.languages ?? []).map((l) => l.trim()).filter((l) => l !== ''))];
  if (languages.length === 0) problems.push({ field: 'languages', message: 'Enter at least one language you work in' });
  if (languages.length > 30 || languages.some((l) => l.length > 60))
    problems.push({ field: 'languages', message: 'List up to 30 languages of up to 60 characters each' });
  if (typeof p.ledByAndFor !== 'boolean')
    problems.push({
      field: 'ledByAndFor',
      message: 'Select yes if the organisation is led by and for the communities it serves',
    });
  const ledByAndForStatement = text(
    'ledByAndForStatement',
    2000,
    p.ledByAndFor === true,
    'Tell us how your leadership is drawn from the communities you serve',
  );
  const safeguardingLeadName = text('safeguardingLeadName', 200, false, '');
  if (safeguardingLeadName && nameHasLink(safeguardingLeadName))
    problems.push({ field: 'safeguardingLeadName', message: NAME_LINK_MESSAGE });
  const safeguardingLeadRole = text(
    'safeguardingLeadRole',
    200,
    safeguardingLeadName !== null,
    'Enter the safeguarding lead’s role',
  );
  if (problems.length > 0)
    throw new UseCaseError('invalid', 'validation_failed', 'The organisation’s details need correcting', problems);
  return {
    name: name!,
    legalForm: p.legalForm,
    registrationNumber: reg.ok ? reg.normalised : null,
    addressLine1,
    addressLine2,
    town,
    postcode: postcode!,
    areaCode: p.areaCode,
    communitiesServed: communities,
    communitiesOther,
    languages,
    ledByAndFor: p.ledByAndFor as boolean,
    ledByAndForStatement: p.ledByAndFor ? ledByAndForStatement : null,
    safeguardingLeadName,
    safeguardingLeadRole,
  };
}
