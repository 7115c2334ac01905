import { createHash } from 'node:crypto';

/**
 * Emails about an account rather than an application. Most carry a one-time link; one that only
 * points to a page (`kind: null`) mints no token.
 */
export const ACCOUNT_EMAILS = {
  'verify-email': { kind: 'verify_email', path: '/verify-email', lifetime: '24 hours' },
  'reset-password': { kind: 'reset_password', path: '/reset-password', lifetime: '1 hour' },
  // Staff accounts start without a password: the link sets one, and lasts long enough for a new starter.
  'account-created': { kind: 'reset_password', path: '/reset-password', lifetime: '72 hours' },
  invitation: { kind: 'invitation', path: '/invitations', lifetime: '14 days' },
  // Someone tried to register the owner's address: no link that does anything, only the way to sign in or reset.
  'registration-attempted': { kind: null, path: '/forgot-password', lifetime: null },
  // Repeated wrong passwords: the owner is told, with a reset link for when waiting will not do.
  'sign-in-failures': { kind: 'reset_password', path: '/reset-password', lifetime: '1 hour' },
} as const;
export type AccountEmail = keyof typeof ACCOUNT_EMAILS;
export type OneTimeTokenKind = NonNullable<(typeof ACCOUNT_EMAILS)[AccountEmail]['kind']>;

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
