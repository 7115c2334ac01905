import { ActorRole } from '../lifecycle/actor-role';
import { can } from '../access/permissions';

/**
 * API tokens (docs/domain.md §10): named, several per person, each with an expiry, revocable.
 * A token is `sg_` and 32 base64url characters (24 random bytes), so a leaked one is recognisable
 * in a log or a repository scan; production refuses any token of another shape.
 */
export const API_TOKEN_PREFIX = 'sg_';
export const API_TOKEN_SHAPE = /^sg_[A-Za-z0-9_-]{32}$/;

/** Staff tokens reach many organisations' data, so they live a shorter time. */
export const API_TOKEN_LIFETIME_DAYS = { staff: 30, applicant: 90 } as const;

export function apiTokenLifetimeDays(role: ActorRole): number {
  return can(role, 'hold-staff-account') ? API_TOKEN_LIFETIME_DAYS.staff : API_TOKEN_LIFETIME_DAYS.applicant;
}

export function apiTokenExpiry(role: ActorRole, now: Date): Date {
  return new Date(now.getTime() + apiTokenLifetimeDays(role) * 86_400_000);
}

/**
 * Every API request authenticates, so the last-used time is written at most this often per token:
 * a busy client costs one small UPDATE a minute, not one per request.
 */
export const API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 60;

export const API_TOKEN_NAME_MAX = 60;
/** Letters, digits, spaces and a little punctuation: a label, which the security log may repeat. */
const NAME_SHAPE = /^[\p{L}\p{N}][\p{L}\p{N} ._()'-]*$/u;

/** Why a token name cannot be used, or null. Expects the name trimmed. */
export function apiTokenNameProblem(name: string): string | null {
  if (name === '') return 'Enter a name for the token, such as the software that will use it';
  if (name.length > API_TOKEN_NAME_MAX) return `The name must be ${API_TOKEN_NAME_MAX} characters or fewer`;
  if (!NAME_SHAPE.test(name) || /www\./i.test(name))
    return 'Use letters, numbers, spaces and . _ - ( ) only, and no web address';
  return null;
}

/** A token a person can still use: not revoked and not past its expiry. */
export function apiTokenIsLive(t: { revokedAt: Date | null; expiresAt: Date }, now: Date): boolean {
  return t.revokedAt === null && t.expiresAt.getTime() > now.getTime();
}
