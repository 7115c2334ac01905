import { Queryable } from './accounts.store';

/** The statements of API tokens: named tokens in `api_tokens`, each kept only as its SHA-256 hash. */

/** A token as its owner sees it: never the secret, nor its hash. */
export interface ApiTokenRow {
  id: string;
  name: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
}

/**
 * The holder of a live token (not revoked, not expired, the user not disabled), in one round trip
 * that also stamps the token's last use when the stamp is older than `resolutionSeconds`: every API
 * request comes through here, so it reads three columns by hand and writes at most once a minute.
 */
export async function findTokenHolder(
  db: Queryable,
  tokenHash: string,
  resolutionSeconds: number,
): Promise<{ id: string; role: string; partner_organisation_id: string | null } | undefined> {
  const [user] = await db.query(
    `WITH holder AS (
       SELECT t.id AS token_id, u.id, u.role, u.partner_organisation_id
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL),
     touched AS (
       UPDATE api_tokens SET last_used_at = now()
        WHERE id = (SELECT token_id FROM holder)
          AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2)))
     SELECT id, role, partner_organisation_id FROM holder`,
    [tokenHash, resolutionSeconds],
  );
  return user;
}

export async function insertApiToken(
  db: Queryable,
  t: { userId: string; name: string; tokenHash: string; expiresAt: Date },
): Promise<ApiTokenRow> {
  const [row] = await db.query(
    `INSERT INTO api_tokens (user_id, name, token_hash, expires_at) VALUES ($1, $2, $3, $4)
       RETURNING id, name, created_at, expires_at, last_used_at`,
    [t.userId, t.name, t.tokenHash, t.expiresAt],
  );
  return row;
}

/** A given token (a development user's fixed one): created, or given back to its user, live again. */
export async function putApiToken(
  db: Queryable,
  t: { userId: string; name: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO api_tokens (user_id, name, token_hash, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (token_hash) DO UPDATE SET user_id = EXCLUDED.user_id, expires_at = EXCLUDED.expires_at,
         revoked_at = NULL, revoked_reason = NULL`,
    [t.userId, t.name, t.tokenHash, t.expiresAt],
  );
}

/** The person's live tokens, newest first. */
export function listLiveApiTokens(db: Queryable, userId: string): Promise<ApiTokenRow[]> {
  return db.query(
    `SELECT id, name, created_at, expires_at, last_used_at FROM api_tokens
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC, id`,
    [userId],
  );
}

/** One of the person's own tokens, locked; none when the id is someone else's. */
export async function lockOwnApiToken(
  db: Queryable,
  userId: string,
  tokenId: string,
): Promise<{ name: string; revoked_at: Date | null } | undefined> {
  const [row] = await db.query(`SELECT name, revoked_at FROM api_tokens WHERE id = $2 AND user_id = $1 FOR UPDATE`, [
    userId,
    tokenId,
  ]);
  return row;
}

/** Revokes the token; when it was revoked (now, or earlier if it already was). */
export async function revokeApiToken(db: Queryable, tokenId: string, reason: string): Promise<Date> {
  // An UPDATE answers [rows, rowCount] through TypeORM.
  const [rows]: [{ revoked_at: Date }[], number] = await db.query(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()),
       revoked_reason = coalesce(revoked_reason, $2) WHERE id = $1 RETURNING revoked_at`,
    [tokenId, reason],
  );
  return rows[0].revoked_at;
}

/** Revokes every token of the person not yet revoked; how many. */
export async function revokeApiTokensOf(db: Queryable, userId: string, reason: string): Promise<number> {
  // An UPDATE answers [rows, rowCount] through TypeORM.
  const [, count]: [unknown[], number] = await db.query(
    `UPDATE api_tokens SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, reason],
  );
  return count;
}

/** Creates the user, or updates the user with that email; its tokens are left as they are. */
export async function upsertUser(
  db: Queryable,
  u: { email: string; displayName: string; role: string; partnerOrganisationId: string | null },
): Promise<{ id: string }> {
  const [row] = await db.query(
    `INSERT INTO users (email, display_name, role, partner_organisation_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lower(email)) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
         partner_organisation_id = EXCLUDED.partner_organisation_id
       RETURNING id`,
    [u.email, u.displayName, u.role, u.partnerOrganisationId],
  );
  return row;
}
