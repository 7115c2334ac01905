import { Actor, PANEL_STATES } from '@sg/domain';

/** The SQL form of canSeeApplication, for lists; kept beside it in spirit and tested against it. */
export function visibilityClause(actor: Actor): { sql: string; params: unknown[] } | null {
  switch (actor.role) {
    case 'applicant':
      return {
        sql: `a.organisation_id IN (SELECT organisation_id FROM organisation_members WHERE user_id = $1)`,
        params: [actor.userId],
      };
    case 'officer':
      return {
        sql: `a.state <> 'draft' AND a.fund_id IN (SELECT fund_id FROM fund_partners WHERE partner_organisation_id = $1 AND role = 'managing')`,
        params: [actor.partnerOrganisationId],
      };
    case 'partner_officer':
      return {
        sql: `a.state <> 'draft' AND EXISTS (SELECT 1 FROM fund_partners fp WHERE fp.fund_id = a.fund_id AND fp.partner_organisation_id = $1
              AND fp.role <> 'funder' AND a.area_code = ANY (fp.areas))`,
        params: [actor.partnerOrganisationId],
      };
    case 'panel_member':
      return {
        sql: `a.state = ANY ($2::text[])
              AND a.fund_id IN (SELECT fund_id FROM fund_partners WHERE partner_organisation_id = $1 AND role = 'managing')`,
        params: [actor.partnerOrganisationId, PANEL_STATES],
      };
    default:
      return null;
  }
}
