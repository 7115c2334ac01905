import { Queryable } from './accounts.store';

/** The statements that look for the development users' published credentials. */

/**
 * Which of the given emails have an account, and how many unrevoked tokens have one of the given
 * hashes. Tokens are looked for by hash, on any user: a development token copied onto a real
 * account is as published as the development user's own.
 */
export async function findPublishedCredentials(
  db: Queryable,
  emails: string[],
  tokenHashes: string[],
): Promise<{ emails: string[]; tokens: number }> {
  const users: { email: string }[] = await db.query(
    'SELECT email FROM users WHERE lower(email) = ANY($1::text[]) ORDER BY email',
    [emails.map((e) => e.toLowerCase())],
  );
  const [{ count }]: { count: number }[] = await db.query(
    'SELECT count(*)::int AS count FROM api_tokens WHERE token_hash = ANY($1::text[]) AND revoked_at IS NULL',
    [tokenHashes],
  );
  return { emails: users.map((u) => u.email), tokens: count };
}
