/**
 * Staff's second factor (docs/domain.md §10): a time-based code (TOTP, RFC 6238: six digits, a new
 * one every 30 seconds) from an authenticator app, or one of ten single-use recovery codes. The
 * rules here are pure; the secret, the codes and the checks live in libs/identity.
 */

/** 'required': every staff account enrols before it can do anything; 'optional': only those who chose to. */
export type SecondFactorMode = 'required' | 'optional';

/** Admin actions and token minting ask for a code again when the last one is older than this. */
export const STEP_UP_MS = 15 * 60_000;

/** How long a correct password waits for its code before the person must start again. */
export const PENDING_SIGN_IN_MS = 10 * 60_000;

export const RECOVERY_CODE_COUNT = 10;

/** Recovery codes: 16 letters and digits without look-alikes (80 bits), shown in groups of four. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols: 5 bits each

/** What a correct password leads to for this account. */
export type AfterPassword = 'signed-in' | 'code' | 'enrol';

export function afterPassword(input: { staff: boolean; enrolled: boolean; mode: SecondFactorMode }): AfterPassword {
  if (input.enrolled) return 'code';
  if (input.staff && input.mode === 'required') return 'enrol';
  return 'signed-in';
}

/** Whether a second-factor check made at `confirmedAt` (ms) still covers an admin action at `now`. */
export function recentlyConfirmed(confirmedAt: number | undefined, now: number): boolean {
  return typeof confirmedAt === 'number' && confirmedAt <= now && now - confirmedAt < STEP_UP_MS;
}

/** A recovery code from 10 random bytes (the caller's randomness, so this stays pure). */
export function formatRecoveryCode(random: Uint8Array): string {
  if (random.length < 10) throw new Error('a recovery code needs 10 random bytes');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of random.subarray(0, 10)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += RECOVERY_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)!.join('-');
}

/** A typed recovery code in its stored form (upper case, no spaces or dashes), or null if it cannot be one. */
export function normaliseRecoveryCode(typed: string): string | null {
  const s = typed.replace(/[\s-]/g, '').toUpperCase();
  return s.length === 16 && [...s].every((c) => RECOVERY_ALPHABET.includes(c)) ? s : null;
}

/** A typed authenticator code (six digits, spaces allowed), or null. */
export function normaliseTotpCode(typed: string): string | null {
  const s = typed.replace(/\s/g, '');
  return /^\d{6}$/.test(s) ? s : null;
}
