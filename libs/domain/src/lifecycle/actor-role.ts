/** The people of docs/domain.md §1, plus `system` for queued jobs (e.g. offer expiry). */
export const ACTOR_ROLES = [
  'applicant',
  'officer',
  'partner_officer',
  'panel_member',
  'funder_viewer',
  'admin',
  'system',
] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export function isActorRole(value: unknown): value is ActorRole {
  return typeof value === 'string' && (ACTOR_ROLES as readonly string[]).includes(value);
}
