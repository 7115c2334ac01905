import { DuplicateReason, organisationNameKey } from '@sg/domain';
import { OrganisationEntity, visibilityClause } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { CheckedProfile } from './organisation-profile';

/** Anything that runs a statement: the data source, or a transaction's entity manager. */
export type Queryable = Pick<EntityManager, 'query'>;

/** The statements of organisations, their members, invitations and duplicate flags. */

export async function insertOrganisation(db: Queryable, c: CheckedProfile, createdBy: string): Promise<{ id: string }> {
  const [row] = await db.query(
    `INSERT INTO organisations (name, legal_form, registration_number, area_code, postcode, created_by, name_key) VALUES ($1, $2, $3, $4, $5, $6, '') RETURNING id`,
    [c.name, c.legalForm, c.registrationNumber, c.areaCode, c.postcode, createdBy],
  );
  return row;
}

export async function insertOwner(db: Queryable, organisationId: string, userId: string): Promise<void> {
  await db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [
    organisationId,
    userId,
  ]);
}

/** The ids of the organisations the user belongs to, oldest first. */
export function organisationIdsOfMember(db: Queryable, userId: string): Promise<{ id: string }[]> {
  return db.query(
    `SELECT o.id FROM organisations o JOIN organisation_members om ON om.organisation_id = o.id WHERE om.user_id = $1 ORDER BY o.created_at`,
    [userId],
  );
}

/** The member's role in the organisation (the same statement answers "is a member" and "which role"). */
export async function memberRole(
  db: Queryable,
  organisationId: string,
  userId: string,
): Promise<{ role: 'owner' | 'member' } | undefined> {
  const [row] = await db.query('SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2', [
    organisationId,
    userId,
  ]);
  return row;
}

export async function isMember(db: Queryable, organisationId: string, userId: string): Promise<boolean> {
  const [ok] = await db.query(`SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [
    organisationId,
    userId,
  ]);
  return !!ok;
}

/** Whether the staff member can see one of the organisation's applications (the applications' own visibility rule). */
export async function seesAnApplicationOf(
  db: Queryable,
  visible: NonNullable<ReturnType<typeof visibilityClause>>,
  organisationId: string,
): Promise<boolean> {
  const [ok] = await db.query(
    `SELECT 1 FROM applications a WHERE ${visible.sql} AND a.organisation_id = $${visible.params.length + 1} LIMIT 1`,
    [...visible.params, organisationId],
  );
  return !!ok;
}

export function membersOf(
  db: Queryable,
  organisationId: string,
): Promise<{ userId: string; displayName: string; email: string; role: string }[]> {
  return db.query(
    `SELECT u.id AS "userId", u.display_name AS "displayName", u.email, om.role FROM organisation_members om JOIN users u ON u.id = om.user_id
       WHERE om.organisation_id = $1 ORDER BY om.created_at`,
    [organisationId],
  );
}

export function openInvitationsOf(
  db: Queryable,
  organisationId: string,
): Promise<{ id: string; email: string; createdAt: string }[]> {
  return db.query(
    `SELECT id, email, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt" FROM organisation_invitations
       WHERE organisation_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at`,
    [organisationId],
  );
}

export async function hasMemberWithEmail(db: Queryable, organisationId: string, email: string): Promise<boolean> {
  const [already] = await db.query(
    `SELECT 1 FROM organisation_members om JOIN users u ON u.id = om.user_id WHERE om.organisation_id = $1 AND lower(u.email) = lower($2)`,
    [organisationId, email],
  );
  return !!already;
}

export async function insertInvitation(
  db: Queryable,
  organisationId: string,
  email: string,
  invitedBy: string,
): Promise<{ id: string }> {
  const [inv] = await db.query(
    `INSERT INTO organisation_invitations (organisation_id, email, invited_by) VALUES ($1, $2, $3) RETURNING id`,
    [organisationId, email, invitedBy],
  );
  return inv;
}

/** Locks an open invitation, and says whether it was sent to this user's address. */
export async function lockOpenInvitation(
  db: Queryable,
  invitationId: string,
  userId: string,
): Promise<{ organisation_id: string; same_address: boolean } | undefined> {
  const [inv] = await db.query(
    `SELECT i.organisation_id, (lower(i.email) = lower(u.email)) AS same_address FROM organisation_invitations i, users u
       WHERE i.id = $1 AND u.id = $2 AND i.accepted_at IS NULL AND i.revoked_at IS NULL FOR UPDATE OF i`,
    [invitationId, userId],
  );
  return inv;
}

export async function markInvitationAccepted(db: Queryable, invitationId: string, userId: string): Promise<void> {
  await db.query(`UPDATE organisation_invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [
    invitationId,
    userId,
  ]);
}

export async function insertMember(db: Queryable, organisationId: string, userId: string): Promise<void> {
  await db.query(
    `INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member') ON CONFLICT DO NOTHING`,
    [organisationId, userId],
  );
}

/** Areas that some fund covers. */
export function areasOfFunds(db: Queryable): Promise<{ code: string; name: string }[]> {
  return db.query(
    `SELECT DISTINCT a->>'code' AS code, a->>'name' AS name FROM funds, jsonb_array_elements(areas) a ORDER BY 2`,
  );
}

export async function writeProfile(db: Queryable, id: string, c: CheckedProfile): Promise<void> {
  await db.query(
    `UPDATE organisations SET name = $2, legal_form = $3, registration_number = $4, address_line_1 = $5, address_line_2 = $6, town = $7,
         postcode = $8, area_code = $9, communities_served = $10, communities_other = $11, languages = $12, led_by_and_for = $13,
         led_by_and_for_statement = $14, safeguarding_lead_name = $15, safeguarding_lead_role = $16, name_key = $17, updated_at = now()
       WHERE id = $1`,
    [
      id,
      c.name,
      c.legalForm,
      c.registrationNumber,
      c.addressLine1,
      c.addressLine2,
      c.town,
      c.postcode,
      c.areaCode,
      c.communitiesServed,
      c.communitiesOther,
      c.languages,
      c.ledByAndFor,
      c.ledByAndForStatement,
      c.safeguardingLeadName,
      c.safeguardingLeadRole,
      organisationNameKey(c.name),
    ],
  );
}

/** Organisations that look like this one, oldest first, each with its group and which of the two is older. */
export function lookalikes(
  db: Queryable,
  id: string,
): Promise<{ id: string; other_is_older: boolean; other_root: string; my_root: string; reason: DuplicateReason }[]> {
  return db.query(
    `SELECT other.id, (other.created_at, other.id) < (me.created_at, me.id) AS other_is_older,
              coalesce(other.duplicate_of, other.id) AS other_root, coalesce(me.duplicate_of, me.id) AS my_root,
              CASE WHEN other.registration_number IS NOT NULL AND other.registration_number = me.registration_number
                   THEN 'same_registration_number' ELSE 'same_name_and_postcode' END AS reason
       FROM organisations me JOIN organisations other ON other.id <> me.id
       WHERE me.id = $1
         AND ((me.registration_number IS NOT NULL AND other.registration_number = me.registration_number)
           OR (me.postcode IS NOT NULL AND me.name_key <> '' AND other.postcode = me.postcode AND other.name_key = me.name_key))
       ORDER BY other.created_at, other.id`,
    [id],
  );
}

export async function insertDuplicateFlag(
  db: Queryable,
  newer: string,
  older: string,
  reason: DuplicateReason,
): Promise<void> {
  await db.query(
    `INSERT INTO organisation_duplicate_flags (organisation_id, matches_organisation_id, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [newer, older, reason],
  );
}

/** Links the newer organisation to the older one's group, unless it already has one. */
export async function linkToGroup(db: Queryable, newer: string, olderRoot: string): Promise<void> {
  await db.query(`UPDATE organisations SET duplicate_of = $2 WHERE id = $1 AND duplicate_of IS NULL AND $2 <> $1`, [
    newer,
    olderRoot,
  ]);
}

export function findOrganisation(m: EntityManager, id: string): Promise<OrganisationEntity> {
  return m.getRepository(OrganisationEntity).findOneByOrFail({ id });
}

/** The duplicate flags on either side of the organisation, with the other organisation's name. */
export function duplicateFlagsOf(
  db: Queryable,
  id: string,
): Promise<{ organisationId: string; name: string; reason: DuplicateReason }[]> {
  return db.query(
    `SELECT f.matches_organisation_id AS "organisationId", o.name, f.reason FROM organisation_duplicate_flags f JOIN organisations o ON o.id = f.matches_organisation_id
         WHERE f.organisation_id = $1
         UNION
         SELECT f.organisation_id, o.name, f.reason FROM organisation_duplicate_flags f JOIN organisations o ON o.id = f.organisation_id
         WHERE f.matches_organisation_id = $1`,
    [id],
  );
}
