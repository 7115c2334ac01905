/**
 * What the security log records: every act that gives, uses or takes away access. Each kind is a
 * fact about people by id, an address and a few non-secret details (a token's name, a new role);
 * never a password, token, code or secret. docs/domain.md lists them for the admin reading the log.
 */
export const SECURITY_EVENT_KINDS = [
  'sign_in_succeeded',
  'sign_in_failed',
  'signed_out_everywhere',
  'second_factor_enrolled',
  'second_factor_used',
  'second_factor_failed',
  'recovery_code_used',
  'second_factor_reset',
  'password_reset',
  'token_minted',
  'token_revoked',
  'user_created',
  'user_disabled',
  'user_enabled',
  'user_role_changed',
  'member_removed',
  'member_left',
  'ownership_transferred',
  'invitation_revoked',
  'export_downloaded',
  'conflict_declared',
] as const;

export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

export function isSecurityEventKind(v: unknown): v is SecurityEventKind {
  return typeof v === 'string' && (SECURITY_EVENT_KINDS as readonly string[]).includes(v);
}

/** One entry of the security log, as it is recorded. */
export interface SecurityEvent {
  kind: SecurityEventKind;
  /** Who did it; null when no one was signed in (a failed sign-in, a reset by emailed link). */
  actorUserId: string | null;
  /** Whose access it concerns, when that is someone (the account signed in to, the user disabled). */
  subjectUserId?: string | null;
  organisationId?: string | null;
  /** The client address as the trusted proxies report it. */
  address?: string | null;
  /** Non-secret facts: a token's name, a role, an export's name. Never free text a person typed. */
  detail?: Record<string, string | number | boolean | null>;
}
