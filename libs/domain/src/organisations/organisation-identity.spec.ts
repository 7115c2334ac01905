import {
  checkRegistrationNumber,
  duplicateReason,
  normalisePostcode,
  organisationNameKey,
} from './organisation-identity';
import { passwordProblem, signInAllowed } from '../identity/sign-in-throttle';

describe('registration numbers', () => {
  it.each([
    ['registered_charity', '1234567', '1234567'],
    ['registered_charity', ' 512 345 ', '512345'],
    ['cio', 'sc012345', 'SC012345'],
    ['registered_charity', '100001', '100001'],
    ['registered_charity', 'NIC100001', 'NIC100001'],
    ['cic', '1234567', '01234567'],
    ['company_limited_by_guarantee', 'sc123456', 'SC123456'],
    ['unincorporated_community_group', '', null],
    ['other', 'ABC/123', 'ABC/123'],
  ] as const)('accepts %s number %j as %j', (form, input, normalised) => {
    expect(checkRegistrationNumber(form, input)).toEqual({ ok: true, normalised });
  });

  it.each([
    ['registered_charity', '12345'],
    ['registered_charity', 'ABC1234'],
    ['registered_charity', ''],
    ['cic', '123456789'],
    ['cic', 'XX123456'],
    ['cic', ''],
    ['unincorporated_community_group', '1234567'],
  ] as const)('refuses %s number %j with a reason', (form, input) => {
    const r = checkRegistrationNumber(form, input);
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.message.length).toBeGreaterThan(10);
  });
});

describe('duplicate detection keys', () => {
  it('normalises postcodes and refuses what is not one', () => {
    expect(normalisePostcode('ts181aa')).toBe('TS18 1AA');
    expect(normalisePostcode(' TS18  1AA ')).toBe('TS18 1AA');
    expect(normalisePostcode('not a postcode')).toBeNull();
  });

  it('reads names the way a person would compare them', () => {
    expect(organisationNameKey("The Women's Circle Ltd")).toBe(organisationNameKey('womens circle limited'));
    expect(organisationNameKey('Saheli & Friends CIC')).toBe('saheli and friends');
    expect(organisationNameKey('Café Ünity')).toBe('cafe unity');
    expect(organisationNameKey('Saheli')).not.toBe(organisationNameKey('Sahara'));
  });

  it('flags the same registration number, or the same name at the same postcode', () => {
    const a = { registrationNumber: '1234567', nameKey: 'saheli', postcode: 'TS1 1AA' };
    expect(duplicateReason(a, { registrationNumber: '1234567', nameKey: 'other', postcode: null })).toBe(
      'same_registration_number',
    );
    expect(duplicateReason(a, { registrationNumber: null, nameKey: 'saheli', postcode: 'TS1 1AA' })).toBe(
      'same_name_and_postcode',
    );
    expect(duplicateReason(a, { registrationNumber: null, nameKey: 'saheli', postcode: 'TS2 2BB' })).toBeNull();
    expect(
      duplicateReason(
        { ...a, registrationNumber: null },
        { registrationNumber: null, nameKey: 'saheli', postcode: null },
      ),
    ).toBeNull();
  });
});

describe('sign-in throttling', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const ago = (min: number) => new Date(now.getTime() - min * 60_000);

  it('allows four recent failures and refuses the fifth until the oldest ages out', () => {
    expect(signInAllowed({ account: [ago(10), ago(8), ago(6), ago(4)], address: [] }, now)).toEqual({ allowed: true });
    expect(signInAllowed({ account: [ago(10), ago(8), ago(6), ago(4), ago(2)], address: [] }, now)).toEqual({
      allowed: false,
      retryAfterSeconds: 300,
    });
    expect(signInAllowed({ account: [ago(20), ago(8), ago(6), ago(4), ago(2)], address: [] }, now)).toEqual({
      allowed: true,
    });
  });

  it('limits one address across many accounts', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ago(14 - i * 0.2));
    expect(signInAllowed({ account: [], address: fifty }, now).allowed).toBe(false);
  });

  it('asks for long passwords that are not the email address', () => {
    expect(passwordProblem('short', 'a@b.c')).toMatch(/at least 12/);
    expect(passwordProblem('amina.applicant-2026', 'amina.applicant@example.org')).toMatch(/email/);
    expect(passwordProblem('aaaaaaaaaaaaaa', 'x@y.z')).toMatch(/harder/);
    expect(passwordProblem('correct horse battery', 'x@y.z')).toBeNull();
  });
});
