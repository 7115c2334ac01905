/**
 * Sign-in throttling. Counting failures per account stops a guesser who spreads attempts across
 * addresses; counting per client address stops one who spreads them across accounts. Each limit
 * applies within a sliding window; once reached, sign-in waits until the oldest failure in the
 * window has aged out. A successful sign-in does not reset the count, so an attacker who knows one
 * password cannot use it to keep guessing another account's.
 */
export interface ThrottlePolicy {
  windowMs: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
}

export const SIGN_IN_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 50,
};

export interface RecentFailures {
  /** Times of failures for this account within the window, oldest first. */
  account: readonly Date[];
  /** Times of failures from this address within the window, oldest first. */
  address: readonly Date[];
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function signInAllowed(
  failures: RecentFailures,
  now: Date,
  policy: ThrottlePolicy = SIGN_IN_THROTTLE,
): ThrottleDecision {
  const waits: number[] = [];
  for (const [list, max] of [
    [failures.account, policy.maxFailuresPerAccount],
    [failures.address, policy.maxFailuresPerAddress],
  ] as const) {
    const recent = list.filter((t) => now.getTime() - t.getTime() < policy.windowMs);
    if (recent.length >= max) {
      // The window must drop below the limit: the (n - max + 1)-th most recent failure ages out.
      const freeing = recent[recent.length - max];
      waits.push(Math.ceil((freeing.getTime() + policy.windowMs - now.getTime()) / 1000));
    }
  }
  return waits.length === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, ...waits) };
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
