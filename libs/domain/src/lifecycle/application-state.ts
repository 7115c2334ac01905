/** Every state of docs/domain.md §3, in lifecycle order. */
export const APPLICATION_STATES = [
  'draft',
  'submitted',
  'screening',
  'information_requested',
  'risk_assessment',
  'awaiting_decision',
  'offered',
  'conditions_pending',
  'active',
  'suspended',
  'closing',
  'discarded',
  'withdrawn',
  'ineligible',
  'rejected',
  'declined',
  'offer_expired',
  'terminated',
  'closed',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const TERMINAL_STATES: readonly ApplicationState[] = [
  'discarded',
  'withdrawn',
  'ineligible',
  'rejected',
  'declined',
  'offer_expired',
  'terminated',
  'closed',
];

export function isApplicationState(value: unknown): value is ApplicationState {
  return typeof value === 'string' && (APPLICATION_STATES as readonly string[]).includes(value);
}

export function isTerminal(state: ApplicationState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** States an information request can be raised from, and so returned to. */
export const INFORMATION_REQUEST_ORIGINS = ['screening', 'risk_assessment'] as const;
export type InformationRequestOrigin = (typeof INFORMATION_REQUEST_ORIGINS)[number];
