import {
  afterPassword,
  formatRecoveryCode,
  normaliseRecoveryCode,
  normaliseTotpCode,
  recentlyConfirmed,
  STEP_UP_MS,
} from './second-factor';

describe('second factor rules', () => {
  it('asks the enrolled for a code, sends unenrolled staff to enrol only where it is required', () => {
    expect(afterPassword({ staff: true, enrolled: true, mode: 'optional' })).toBe('code');
    expect(afterPassword({ staff: true, enrolled: false, mode: 'required' })).toBe('enrol');
    expect(afterPassword({ staff: true, enrolled: false, mode: 'optional' })).toBe('signed-in');
    expect(afterPassword({ staff: false, enrolled: false, mode: 'required' })).toBe('signed-in');
  });

  it('counts a check as recent for 15 minutes, and never one from the future', () => {
    const t = 1_700_000_000_000;
    expect(recentlyConfirmed(t, t + STEP_UP_MS - 1)).toBe(true);
    expect(recentlyConfirmed(t, t + STEP_UP_MS)).toBe(false);
    expect(recentlyConfirmed(undefined, t)).toBe(false);
    expect(recentlyConfirmed(t + 1, t)).toBe(false);
  });

  it('formats recovery codes as four groups of four and reads them back however they are typed', () => {
    const code = formatRecoveryCode(Uint8Array.from([0, 1, 2, 3, 4, 250, 251, 252, 253, 255]));
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(normaliseRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    expect(formatRecoveryCode(new Uint8Array(10))).toBe('AAAA-AAAA-AAAA-AAAA');
    expect(formatRecoveryCode(new Uint8Array(10).fill(255))).toBe('9999-9999-9999-9999');
    expect(normaliseRecoveryCode('AAAA-AAAA-AAAA-AAA')).toBeNull();
    expect(normaliseRecoveryCode('AAAA-AAAA-AAAA-AAA1')).toBeNull(); // 1 is not in the alphabet
    expect(() => formatRecoveryCode(new Uint8Array(9))).toThrow();
  });

  it('reads six digits, with spaces, as an authenticator code', () => {
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    expect(normaliseTotpCode('12345')).toBeNull();
    expect(normaliseTotpCode('12345a')).toBeNull();
  });
});
