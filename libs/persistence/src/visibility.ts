import { Actor, can, PANEL_STATES } from '@sg/domain';

/**
 * The SQL form of canSeeApplication, for lists; kept beside it in spirit and tested against it. The
 * same order of scope capabilities; no SQL for the system's view of every application.
 */
export function visibilityClause(actor: Actor): { sql: string; params: unknown[] } | null {
  if (can(actor.role, 'apply-for-organisation'))
    return {
      sql: `a.organisation_id IN (SELECT organisation_id FROM organisation_members WHERE user_id = $1)`,
      params: [actor.userId],
    };
  if (can(actor.role, 'oversee-managed-funds'))
    return {
      sql: `a.state <> 'draft' AND a.fund_id IN (SELECT fund_id FROM fund_partners WHERE partner_organisation_id = $1 AND role = 'managing')`,
      params: [actor.partnerOrganisationId],
    };
  if (can(actor.role, 'view-applications-in-area'))
    return {
      sql: `a.state <> 'draft' AND EXISTS (SELECT 1 FROM fund_partners fp WHERE fp.fund_id = a.fund_id AND fp.partner_organisation_id = $1
            AND fp.role <> 'funder' AND a.area_code = ANY (fp.areas))`,
      params: [actor.partnerOrganisationId],
    };
  if (can(actor.role, 'view-applications-for-decision'))
    return {
      sql: `a.state = ANY ($2::text[])
            AND a.fund_id IN (SELECT fund_id FROM fund_partners WHERE partner_organisation_id = $1 AND role = 'managing')`,
      params: [actor.partnerOrganisationId, PANEL_STATES],
    };
  return null;
}
