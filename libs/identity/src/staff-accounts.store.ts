import { DisableReason } from '@sg/domain';
import { Queryable } from './accounts.store';

/** The statements of staff administration: the staff list, one account locked for a change, the changes. */

export interface StaffRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
  partner_slug: string | null;
  partner_name: string | null;
  last_signed_in_at: Date | null;
  disabled_at: Date | null;
  disabled_reason: DisableReason | null;
  has_password: boolean;
}

const STAFF_COLUMNS = `u.id, u.email, u.display_name, u.role, p.slug AS partner_slug, p.name AS partner_name,
  u.last_signed_in_at, u.disabled_at, u.disabled_reason, (u.password_hash IS NOT NULL) AS has_password`;

/** Accounts in the staff roles: active ones first, then by name. */
export function selectStaff(db: Queryable, staffRoles: readonly string[]): Promise<StaffRow[]> {
  return db.query(
    `SELECT ${STAFF_COLUMNS} FROM users u LEFT JOIN partner_organisations p ON p.id = u.partner_organisation_id
      WHERE u.role = ANY($1) ORDER BY (u.disabled_at IS NOT NULL), lower(u.display_name), u.id`,
    [staffRoles],
  );
}

/** One staff account; `lock` holds its row until the transaction ends. */
export async function findStaff(
  db: Queryable,
  id: string,
  staffRoles: readonly string[],
  lock = false,
): Promise<StaffRow | undefined> {
  const [row] = await db.query(
    `SELECT ${STAFF_COLUMNS} FROM users u LEFT JOIN partner_organisations p ON p.id = u.partner_organisation_id
      WHERE u.id = $1 AND u.role = ANY($2)${lock ? ' FOR UPDATE OF u' : ''}`,
    [id, staffRoles],
  );
  return row;
}

/**
 * Locks every active account in these roles (in id order, so two administrators' changes queue
 * instead of deadlocking) and counts them: the count stays true until the transaction ends.
 */
export async function lockActiveInRoles(db: Queryable, roles: readonly string[]): Promise<number> {
  const rows = await db.query(
    `SELECT id FROM users WHERE role = ANY($1) AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
    [roles],
  );
  return rows.length;
}

export function selectPartnerOrganisations(db: Queryable): Promise<{ slug: string; name: string }[]> {
  return db.query(`SELECT slug, name FROM partner_organisations ORDER BY name, slug`);
}

export async function updateRoleAndPartner(
  db: Queryable,
  id: string,
  role: string,
  partnerOrganisationId: string | null,
): Promise<void> {
  await db.query(`UPDATE users SET role = $2, partner_organisation_id = $3 WHERE id = $1`, [
    id,
    role,
    partnerOrganisationId,
  ]);
}

export async function markDisabled(db: Queryable, id: string, reason: DisableReason): Promise<void> {
  await db.query(`UPDATE users SET disabled_at = now(), disabled_reason = $2 WHERE id = $1`, [id, reason]);
}

export async function markEnabled(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE users SET disabled_at = NULL, disabled_reason = NULL WHERE id = $1`, [id]);
}
