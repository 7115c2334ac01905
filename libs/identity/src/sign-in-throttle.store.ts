import { Queryable } from './accounts.store';

/** The statements of the sign-in throttle: failures per account, and when its owner last proved themselves. */

export async function insertSignInFailure(db: Queryable, accountKey: string, address: string): Promise<void> {
  await db.query(`INSERT INTO sign_in_failures (account_key, address) VALUES ($1, $2)`, [accountKey, address]);
}

/** The account's failed sign-ins of the last day, oldest first (housekeeping keeps no older ones). */
export async function recentAccountFailures(db: Queryable, accountKey: string): Promise<Date[]> {
  const rows: { failed_at: Date }[] = await db.query(
    `SELECT failed_at FROM sign_in_failures WHERE account_key = $1 AND failed_at > now() - interval '1 day' ORDER BY failed_at`,
    [accountKey],
  );
  return rows.map((r) => r.failed_at);
}

/**
 * The user with this address (lower-cased), if any, and the last time its owner proved they hold it:
 * a successful sign-in, or a used reset link (a reset uses up every other link of the account too).
 */
export async function accountProof(
  db: Queryable,
  accountKey: string,
): Promise<{ user_id: string; disabled: boolean; proven_at: Date | null } | undefined> {
  const [row] = await db.query(
    `SELECT u.id AS user_id, u.disabled_at IS NOT NULL AS disabled,
            greatest(u.last_signed_in_at, (SELECT max(t.used_at) FROM one_time_tokens t WHERE t.user_id = u.id AND t.kind = 'reset_password')) AS proven_at
       FROM users u WHERE lower(u.email) = $1`,
    [accountKey],
  );
  return row;
}
