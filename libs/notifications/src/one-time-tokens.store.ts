import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { hashOneTimeToken, OneTimeTokenKind } from './account-emails';

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
