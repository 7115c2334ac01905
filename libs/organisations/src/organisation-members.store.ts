import { Queryable } from './organisations.store';

/** The statements of leaving an organisation, removing a member, handing ownership over and revoking an invitation. */

/** Locks the organisation's memberships (in user order) and returns them: who is owner stays true until the transaction ends. */
export function lockMembers(
  db: Queryable,
  organisationId: string,
): Promise<{ user_id: string; role: 'owner' | 'member' }[]> {
  return db.query(
    `SELECT user_id, role FROM organisation_members WHERE organisation_id = $1 ORDER BY user_id FOR UPDATE`,
    [organisationId],
  );
}

export async function deleteMember(db: Queryable, organisationId: string, userId: string): Promise<void> {
  await db.query(`DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [
    organisationId,
    userId,
  ]);
}

export async function setMemberRole(
  db: Queryable,
  organisationId: string,
  userId: string,
  role: 'owner' | 'member',
): Promise<void> {
  await db.query(`UPDATE organisation_members SET role = $3 WHERE organisation_id = $1 AND user_id = $2`, [
    organisationId,
    userId,
    role,
  ]);
}

/** Revokes the organisation's invitation if it is still open; false when there was none open. */
export async function revokeOpenInvitation(
  db: Queryable,
  organisationId: string,
  invitationId: string,
): Promise<boolean> {
  const [rows] = await db.query(
    `UPDATE organisation_invitations SET revoked_at = now()
      WHERE id = $1 AND organisation_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
    [invitationId, organisationId],
  );
  return (rows?.length ?? 0) > 0;
}
