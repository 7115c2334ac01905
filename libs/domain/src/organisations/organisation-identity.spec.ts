import {
  checkRegistrationNumber,
  duplicateReason,
  normalisePostcode,
  organisationNameKey,
} from './organisation-identity';

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
