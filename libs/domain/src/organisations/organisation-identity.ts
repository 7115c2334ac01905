/**
 * How an applicant organisation is identified, for duplicate detection and for 360Giving
 * identifiers later: registration numbers checked by their register's format, postcodes and
 * names normalised so that "The Women's Group Ltd" and "womens group limited" compare equal.
 */
export const LEGAL_FORMS = [
  'registered_charity',
  'cio',
  'cic',
  'company_limited_by_guarantee',
  'unincorporated_community_group',
  'other',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

/** Which register a legal form's number belongs to. */
export function registerFor(form: LegalForm): 'charity' | 'company' | null {
  switch (form) {
    case 'registered_charity':
    case 'cio':
      return 'charity';
    case 'cic':
    case 'company_limited_by_guarantee':
      return 'company';
    default:
      return null;
  }
}

export type RegistrationCheck = { ok: true; normalised: string | null } | { ok: false; message: string };

/**
 * Charities: England and Wales numbers are 6–7 digits (a CIO is a registered charity too),
 * Scotland "SC" + 6 digits, Northern Ireland "NIC" + 6 digits (written with or without NIC).
 * Companies (CIC, company limited by guarantee): Companies House numbers are 8 characters, all
 * digits (7 or fewer are padded with zeros) or a two-letter register prefix and 6 digits.
 * Unincorporated groups have no number; "other" may give any short reference.
 */
export function checkRegistrationNumber(form: LegalForm, input: string | null | undefined): RegistrationCheck {
  const raw = (input ?? '').toUpperCase().replace(/[\s-]/g, '');
  const register = registerFor(form);
  if (raw === '') {
    return register === null
      ? { ok: true, normalised: null }
      : { ok: false, message: register === 'charity' ? 'Enter your charity number' : 'Enter your company number' };
  }
  if (register === 'charity') {
    if (/^\d{6,7}$/.test(raw)) return { ok: true, normalised: raw };
    if (/^SC\d{6}$/.test(raw)) return { ok: true, normalised: raw };
    if (/^(NIC)?1\d{5}$/.test(raw)) return { ok: true, normalised: `NIC${raw.replace(/^NIC/, '')}` };
    return { ok: false, message: 'Enter a charity number in the right format, like 1234567, SC012345 or NIC100001' };
  }
  if (register === 'company') {
    if (/^\d{1,8}$/.test(raw)) return { ok: true, normalised: raw.padStart(8, '0') };
    if (/^(SC|NI|OC|SO|NC|R0|IP|SP|RS)\d{6}$/.test(raw)) return { ok: true, normalised: raw };
    return { ok: false, message: 'Enter a company number in the right format, like 01234567 or SC123456' };
  }
  if (form === 'unincorporated_community_group')
    return { ok: false, message: 'An unincorporated community group has no registration number: leave it blank' };
  return raw.length <= 40 && /^[A-Z0-9/]+$/.test(raw)
    ? { ok: true, normalised: raw }
    : { ok: false, message: 'Use up to 40 letters and numbers' };
}

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

/** "ts18 1aa" → "TS18 1AA"; null when it is not a UK postcode. */
export function normalisePostcode(input: string | null | undefined): string | null {
  const m = POSTCODE.exec((input ?? '').toUpperCase().replace(/\s+/g, ' ').trim());
  return m ? `${m[1]} ${m[2]}` : null;
}

const NOISE_WORDS = new Set([
  'the',
  'ltd',
  'limited',
  'cic',
  'cio',
  'charity',
  'charitable',
  'incorporated',
  'organisation',
  'trust',
  'uk',
]);

/**
 * A name reduced to what identifies it: lower case, accents and punctuation removed, "&" read as
 * "and", and legal-form words and "the" dropped. Two organisations with the same key and
 * postcode are flagged as possible duplicates for an officer to look at.
 */
export function organisationNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '' && !NOISE_WORDS.has(w))
    .join(' ');
}

export type DuplicateReason = 'same_registration_number' | 'same_name_and_postcode';

export interface OrganisationKeys {
  registrationNumber: string | null;
  nameKey: string;
  postcode: string | null;
}

/** Why two organisations look like the same one, or null if they do not. */
export function duplicateReason(a: OrganisationKeys, b: OrganisationKeys): DuplicateReason | null {
  if (a.registrationNumber && a.registrationNumber === b.registrationNumber) return 'same_registration_number';
  if (a.postcode && a.postcode === b.postcode && a.nameKey !== '' && a.nameKey === b.nameKey)
    return 'same_name_and_postcode';
  return null;
}
