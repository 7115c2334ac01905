import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';

/** Emails about an account rather than an application; each carries a one-time link. */
export const ACCOUNT_EMAILS = {
  'verify-email': { kind: 'verify_email', path: '/verify-email', lifetime: '24 hours' },
  'reset-password': { kind: 'reset_password', path: '/reset-password', lifetime: '1 hour' },
  // Staff accounts start without a password: the link sets one, and lasts long enough for a new starter.
  'account-created': { kind: 'reset_password', path: '/reset-password', lifetime: '72 hours' },
  invitation: { kind: 'invitation', path: '/invitations', lifetime: '14 days' },
} as const;
export type AccountEmail = keyof typeof ACCOUNT_EMAILS;
export type OneTimeTokenKind = (typeof ACCOUNT_EMAILS)[AccountEmail]['kind'];

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Queues an account email in the caller's transaction. The link's token is not made here: the
 * worker mints it when it renders the email, so the token exists only in the email, and the
 * notification row and job hold nothing that could be used to take over an account.
 */
export async function enqueueAccountEmail(
  m: EntityManager,
  email: { template: AccountEmail; dedupeKey: string; userId?: string; invitationId?: string },
): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH n AS (
       INSERT INTO notifications (dedupe_key, template, recipient_user_id, invitation_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id)
     INSERT INTO outbox (queue, job_name, job_id, payload)
     SELECT 'notifications', 'send-email', 'email-' || n.id, jsonb_build_object('notificationId', n.id) FROM n
     RETURNING id`,
    [email.dedupeKey, email.template, email.userId ?? null, email.invitationId ?? null],
  );
  return rows.length > 0;
}

/** A new single-use token for a link; only its hash is stored. */
export async function mintOneTimeToken(
  m: Pick<EntityManager, 'query'>,
  kind: OneTimeTokenKind,
  subject: { userId?: string | null; invitationId?: string | null },
  lifetime: string,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await m.query(
    `INSERT INTO one_time_tokens (kind, user_id, invitation_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, now() + $5::interval)`,
    [kind, subject.userId ?? null, subject.invitationId ?? null, hashOneTimeToken(token), lifetime],
  );
  return token;
}

export interface ConsumedToken {
  userId: string | null;
  invitationId: string | null;
}

/**
 * Uses a token once: the conditional UPDATE lets exactly one of two concurrent uses through. An
 * unknown, used or expired token gives null, and callers say the same thing for all three.
 */
export async function consumeOneTimeToken(
  m: Pick<EntityManager, 'query'>,
  kind: OneTimeTokenKind,
  token: string,
): Promise<ConsumedToken | null> {
  if (token.length < 20 || token.length > 100) return null;
  const [rows] = await m.query(
    `UPDATE one_time_tokens SET used_at = now()
     WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > now()
     RETURNING user_id, invitation_id`,
    [hashOneTimeToken(token), kind],
  );
  const row = rows?.[0];
  return row ? { userId: row.user_id, invitationId: row.invitation_id } : null;
}

/** Whether a token would be accepted, without using it (to show a form or an "expired" page). */
export async function oneTimeTokenIsUsable(
  m: Pick<EntityManager, 'query'>,
  kind: OneTimeTokenKind,
  token: string,
): Promise<boolean> {
  if (token.length < 20 || token.length > 100) return false;
  const rows = await m.query(
    `SELECT 1 FROM one_time_tokens WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > now()`,
    [hashOneTimeToken(token), kind],
  );
  return rows.length > 0;
}
