import { EntityManager } from 'typeorm';

/** Anything that runs a statement: the data source, or a transaction's entity manager. */
export type Queryable = Pick<EntityManager, 'query'>;

/** A user as the session and sign-in read them. */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
  partner_organisation_id: string | null;
}

/** The statements of password accounts: users, reset tokens and sessions (failures: sign-in-throttle.store.ts). */

/** A self-registered applicant; no row when the address already has an account. */
export async function insertApplicantUser(
  db: Queryable,
  email: string,
  displayName: string,
  passwordHash: string,
): Promise<{ id: string } | undefined> {
  const [row] = await db.query(
    `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, $2, 'applicant', $3)
         ON CONFLICT (lower(email)) DO NOTHING RETURNING id`,
    [email, displayName, passwordHash],
  );
  return row;
}

export async function findUnverifiedPasswordAccount(db: Queryable, email: string): Promise<{ id: string } | undefined> {
  const [u] = await db.query(
    `SELECT id FROM users WHERE lower(email) = lower($1) AND email_verified_at IS NULL AND password_hash IS NOT NULL`,
    [email],
  );
  return u;
}

/** How many verification emails the account has been sent. */
export async function countVerificationEmails(db: Queryable, userId: string): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM notifications WHERE recipient_user_id = $1 AND template = 'verify-email'`,
    [userId],
  );
  return n;
}

/** How many emails of this template the account has been sent in the last hours. */
export async function countRecentAccountEmails(
  db: Queryable,
  userId: string,
  template: string,
  hours: number,
): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM notifications WHERE recipient_user_id = $1 AND template = $2 AND created_at > now() - make_interval(hours => $3)`,
    [userId, template, hours],
  );
  return n;
}

/** How many reset emails the account has been sent in the last hour. */
export async function countRecentResetEmails(db: Queryable, userId: string): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM notifications WHERE recipient_user_id = $1 AND template = 'reset-password' AND created_at > now() - interval '1 hour'`,
    [userId],
  );
  return n;
}

export async function markEmailVerified(db: Queryable, userId: string): Promise<void> {
  await db.query(`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`, [userId]);
}

/** The account signing in with this (lower-cased) address, with its hash and verification. */
export async function findSignInAccount(
  db: Queryable,
  email: string,
): Promise<
  (UserRow & { password_hash: string | null; email_verified_at: Date | null; disabled_at: Date | null }) | undefined
> {
  const [u] = await db.query(
    `SELECT id, email, display_name, role, partner_organisation_id, password_hash, email_verified_at, disabled_at FROM users WHERE lower(email) = $1`,
    [email],
  );
  return u;
}

export async function stampSignedIn(db: Queryable, userId: string): Promise<void> {
  await db.query(`UPDATE users SET last_signed_in_at = now() WHERE id = $1`, [userId]);
}

export async function findUserIdByEmail(db: Queryable, email: string): Promise<{ id: string } | undefined> {
  const [u] = await db.query(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email]);
  return u;
}

export async function findUserEmail(db: Queryable, userId: string): Promise<{ email: string } | undefined> {
  const [u] = await db.query('SELECT email FROM users WHERE id = $1', [userId]);
  return u;
}

/** The password hash of a live (not disabled) account, to check a password again. */
export async function findPasswordHash(
  db: Queryable,
  userId: string,
): Promise<{ password_hash: string | null } | undefined> {
  const [u] = await db.query(`SELECT password_hash FROM users WHERE id = $1 AND disabled_at IS NULL`, [userId]);
  return u;
}

/** Sets the password hash; having the password also proves the address. */
export async function setPasswordAndVerify(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query(
    `UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`,
    [userId, passwordHash],
  );
}

/** Every unused reset link of the account stops working. */
export async function useUpResetTokens(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND kind = 'reset_password' AND used_at IS NULL`,
    [userId],
  );
}

/** Ends every session of the person; how many there were. */
export async function deleteSessionsOf(db: Queryable, userId: string): Promise<number> {
  const [, count]: [unknown[], number] = await db.query(`DELETE FROM sessions WHERE sess->>'userId' = $1`, [userId]);
  return count;
}

export async function findPartnerOrganisationBySlug(db: Queryable, slug: string): Promise<{ id: string } | undefined> {
  const [p] = await db.query('SELECT id FROM partner_organisations WHERE slug = $1', [slug]);
  return p;
}

export async function insertStaffUser(
  db: Queryable,
  user: { email: string; displayName: string; role: string; partnerOrganisationId: string | null },
): Promise<{ id: string }> {
  const [row] = await db.query(
    `INSERT INTO users (email, display_name, role, partner_organisation_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [user.email, user.displayName, user.role, user.partnerOrganisationId],
  );
  return row;
}

/** The person behind a session; none once the account is disabled, so an open session ends at its next request. */
export async function findSessionUser(db: Queryable, userId: string): Promise<UserRow | undefined> {
  const [u] = await db.query(
    `SELECT id, email, display_name, role, partner_organisation_id FROM users WHERE id = $1 AND disabled_at IS NULL`,
    [userId],
  );
  return u;
}

export async function readNotificationPreferences(
  db: Queryable,
  userId: string,
): Promise<{ optional_reminders: boolean; daily_digest: boolean } | undefined> {
  const [u] = await db.query(`SELECT optional_reminders, daily_digest FROM users WHERE id = $1`, [userId]);
  return u;
}

/** Changes the preferences given; a null leaves that one as it is. */
export async function updateNotificationPreferences(
  db: Queryable,
  userId: string,
  optionalReminders: boolean | null,
  dailyDigest: boolean | null,
): Promise<void> {
  await db.query(
    `UPDATE users SET optional_reminders = coalesce($2, optional_reminders), daily_digest = coalesce($3, daily_digest) WHERE id = $1`,
    [userId, optionalReminders, dailyDigest],
  );
}
