/**
 * Staff accounts an administrator manages (docs/domain.md §10): why an account was disabled, and
 * the rule that keeps the service from losing its last administrator. Plain facts in, a refusal out.
 */

/** Why an administrator disabled an account: a fixed list, so that the log never holds typed words. */
export const DISABLE_REASONS = ['left_the_organisation', 'no_longer_needs_access', 'suspected_compromise'] as const;
export type DisableReason = (typeof DISABLE_REASONS)[number];

export function isDisableReason(v: unknown): v is DisableReason {
  return typeof v === 'string' && (DISABLE_REASONS as readonly string[]).includes(v);
}

/** Where an account stands: invited (no password chosen yet), active, or disabled. */
export type StaffAccountState = 'invited' | 'active' | 'disabled';

export function staffAccountState(a: { disabledAt: Date | null; hasPassword: boolean }): StaffAccountState {
  return a.disabledAt ? 'disabled' : a.hasPassword ? 'active' : 'invited';
}

/**
 * Why a change that takes administration away from someone (disabling them, or a role without
 * `manage-staff-accounts`) is refused: an administrator may not do it to themselves, and the last
 * active administrator keeps the role. Null: the change may go ahead.
 */
export function adminRemovalRefusal(c: {
  /** The person changed is the one changing. */
  self: boolean;
  /** The change leaves the person changed without administration they have now. */
  removesAdministration: boolean;
  /** Active administrators, the person changed included, before the change. */
  activeAdministrators: number;
}): 'self' | 'last_administrator' | null {
  if (!c.removesAdministration) return null;
  if (c.self) return 'self';
  return c.activeAdministrators <= 1 ? 'last_administrator' : null;
}
