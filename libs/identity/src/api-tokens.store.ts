import { Queryable } from './accounts.store';

/** The statements of API tokens: each user's token is stored as its hash on the user's row. */

/** The three columns every API request needs, by hand rather than the whole user through the ORM. */
export async function findTokenHolder(
  db: Queryable,
  tokenHash: string,
): Promise<{ id: string; role: string; partner_organisation_id: string | null } | undefined> {
  const [user] = await db.query(
    'SELECT id, role, partner_organisation_id FROM users WHERE api_token_hash = $1 AND disabled_at IS NULL',
    [tokenHash],
  );
  return user;
}

export async function setApiTokenHash(db: Queryable, userId: string, tokenHash: string): Promise<void> {
  await db.query('UPDATE users SET api_token_hash = $2 WHERE id = $1', [userId, tokenHash]);
}

/** Creates the user, or updates the user with that email, with the token's hash. */
export async function upsertUserWithToken(
  db: Queryable,
  u: { email: string; displayName: string; role: string; partnerOrganisationId: string | null; tokenHash: string },
): Promise<{ id: string }> {
  const [row] = await db.query(
    `INSERT INTO users (email, display_name, role, partner_organisation_id, api_token_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (lower(email)) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
         partner_organisation_id = EXCLUDED.partner_organisation_id, api_token_hash = EXCLUDED.api_token_hash
       RETURNING id`,
    [u.email, u.displayName, u.role, u.partnerOrganisationId, u.tokenHash],
  );
  return row;
}
