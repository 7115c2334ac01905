import { Queryable, deleteSessionsOf } from './accounts.store';
import { revokeApiTokensOf } from './api-tokens.store';

/** Why every way into an account was closed at once; kept on each revoked token. */
export type AccessRevocationReason =
  'password_reset' | 'signed_out_everywhere' | 'user_disabled' | 'role_changed' | 'second_factor_reset';

/**
 * Ends every session and revokes every API token of the person, in the caller's transaction (pass
 * its manager, and record the act's security event in the same transaction). A password reset,
 * "sign out everywhere" and disabling a user all come here, so none of them can forget a way in.
 */
export async function revokeAllAccessOf(
  db: Queryable,
  userId: string,
  reason: AccessRevocationReason,
): Promise<{ sessions: number; tokens: number }> {
  const sessions = await deleteSessionsOf(db, userId);
  const tokens = await revokeApiTokensOf(db, userId, reason);
  return { sessions, tokens };
}
