import { ActorRole } from '../lifecycle/actor-role';
import { ApplicationState } from '../lifecycle/application-state';
import { can } from './permissions';

/** Who is asking, as identity establishes it. */
export interface Actor {
  userId: string;
  role: ActorRole;
  /** The VDA or funder an officer, partner officer or panel member works for. */
  partnerOrganisationId: string | null;
}

/** The person to record as having acted: none for the system (setup, the CLI, queued jobs), which is no user. */
export function actingUserId(actor: Actor): string | null {
  return actor.role === 'system' ? null : actor.userId;
}

/** How the application relates to the actor, loaded by the caller. */
export interface ApplicationRelations {
  state: ApplicationState;
  areaCode: string;
  /** The actor is a member of the applying organisation. */
  actorIsMember: boolean;
  /** The fund's partners: who manages it, and which areas each partner covers. */
  fundPartners: readonly {
    partnerOrganisationId: string;
    role: 'managing' | 'partner' | 'funder';
    areas: readonly string[];
  }[];
}

export const PANEL_STATES: readonly ApplicationState[] = [
  'awaiting_decision',
  'offered',
  'conditions_pending',
  'active',
  'suspended',
  'closing',
  'rejected',
  'declined',
  'offer_expired',
  'terminated',
  'closed',
];

/**
 * Whether the actor may see this one application at all (least privilege: funder viewers see only
 * aggregates, admins configure and do not read applications). Callers answer 404 when this is
 * false, so that an application's existence is not disclosed either.
 */
export function canSeeApplication(actor: Actor, app: ApplicationRelations): boolean {
  const partner = app.fundPartners.find((p) => p.partnerOrganisationId === actor.partnerOrganisationId);
  if (can(actor.role, 'view-every-application')) return true;
  if (can(actor.role, 'apply-for-organisation')) return app.actorIsMember;
  if (can(actor.role, 'oversee-managed-funds')) return partner?.role === 'managing' && app.state !== 'draft';
  if (can(actor.role, 'view-applications-in-area'))
    return (
      partner !== undefined &&
      partner.role !== 'funder' &&
      partner.areas.includes(app.areaCode) &&
      app.state !== 'draft'
    );
  if (can(actor.role, 'view-applications-for-decision'))
    return partner?.role === 'managing' && PANEL_STATES.includes(app.state);
  return false;
}

/**
 * Which of a fund's applications the actor may see, at the fund's level: every one (`all`), those
 * in some areas, or none (null). canSeeApplication's rule without the state: fund-level money,
 * records and exports follow it, so that no one reads in aggregate what they may not read one by one.
 * `link` is the actor's partner organisation's link to the fund, if any.
 */
export function fundApplicationScope(
  actor: Actor,
  link: { role: 'managing' | 'partner' | 'funder'; areas: readonly string[] } | null | undefined,
): 'all' | { areas: readonly string[] } | null {
  if (can(actor.role, 'oversee-every-fund') || can(actor.role, 'view-every-application')) return 'all';
  if (can(actor.role, 'oversee-managed-funds')) return link?.role === 'managing' ? 'all' : null;
  if (can(actor.role, 'view-applications-in-area'))
    return link && link.role !== 'funder' ? { areas: link.areas } : null;
  if (can(actor.role, 'view-applications-for-decision')) return link?.role === 'managing' ? 'all' : null;
  return null;
}
