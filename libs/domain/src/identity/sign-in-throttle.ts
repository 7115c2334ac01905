/**
 * Sign-in throttling per account, as progressive delay rather than lockout (ASVS 5.0 V6.3: slow
 * guessing without letting a stranger lock the owner out). The first few failures cost nothing;
 * after them each attempt must wait longer after the last failure (30 seconds, then 1, 2, 4, 8
 * minutes, at most 15). Failures count from the last time the owner proved they hold the account
 * (a successful sign-in or a password reset, whose emailed link a guesser cannot use), within a
 * day. So a guesser gets a few dozen tries a day at most, and the owner can always get in at once:
 * after the delay, or straight away by resetting their password (the warning email links to it).
 * The per-address limit is a rate limit on the sign-in form (apps/api/src/http/rate-limits.ts).
 */
export interface SignInDelayPolicy {
  /** Failures allowed before any delay; the owner is emailed when the last of these happens. */
  freeFailures: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  /** How far back failures count at most. */
  windowMs: number;
}

export const SIGN_IN_DELAY: SignInDelayPolicy = {
  freeFailures: 5,
  firstDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  windowMs: 24 * 60 * 60_000,
};

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The wait after the n-th counted failure (n counted from 1); 0 while failures are free. */
export function delayAfterFailures(n: number, policy: SignInDelayPolicy = SIGN_IN_DELAY): number {
  if (n < policy.freeFailures) return 0;
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** (n - policy.freeFailures));
}

/**
 * Whether an attempt may go ahead, given the account's failures since its owner last proved
 * themselves (oldest first) and the time of that proof (null: never).
 */
export function signInAllowed(
  failures: readonly Date[],
  provenAt: Date | null,
  now: Date,
  policy: SignInDelayPolicy = SIGN_IN_DELAY,
): ThrottleDecision {
  const counted = failures.filter(
    (t) => now.getTime() - t.getTime() < policy.windowMs && (!provenAt || t.getTime() > provenAt.getTime()),
  );
  const delay = delayAfterFailures(counted.length, policy);
  if (delay === 0) return { allowed: true };
  const last = counted[counted.length - 1];
  const waitMs = last.getTime() + delay * 1000 - now.getTime();
  return waitMs <= 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
}

/** What a person is told while they must wait. */
export function signInWaitMessage(seconds: number): string {
  const wait =
    seconds < 90
      ? `${seconds} seconds`
      : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? '' : 's'}`;
  return `There have been too many wrong passwords for this account. Wait ${wait} before trying again, or reset your password.`;
}

/** The rules for a password people can remember and guessers cannot: length, not composition. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < 12) return 'Your password must be at least 12 characters';
  if (password.length > 200) return 'Your password must be 200 characters or fewer';
  const lower = password.toLowerCase();
  if (
    lower === email.toLowerCase() ||
    (lower.includes(email.toLowerCase().split('@')[0]) && email.split('@')[0].length >= 4)
  ) {
    return 'Your password must not contain your email address';
  }
  if (/^(.)\1+$/.test(password) || COMMON.has(lower)) return 'Choose a password that is harder to guess';
  return null;
}

const COMMON = new Set([
  'password1234',
  'password12345',
  'password123456',
  '123456789012',
  'qwertyuiop12',
  'letmein12345',
  'iloveyou1234',
  'welcome12345',
]);
