import { Pence } from '../money/pence';

export const LIFECYCLE_ACTIONS = [
  'submit',
  'discard',
  'start-screening',
  'withdraw',
  'confirm-eligible',
  'mark-ineligible',
  'request-information',
  'provide-information',
  'complete-assessment',
  'approve',
  'reject',
  'accept-offer',
  'decline-offer',
  'expire-offer',
  'withdraw-offer',
  'extend-offer',
  'confirm-conditions',
  'request-payment-release',
  'release-payment',
  'submit-report',
  'accept-report',
  'return-report',
  'suspend',
  'reinstate',
  'terminate',
  'record-return',
  'waive-underspend',
  'close',
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

export function isLifecycleAction(value: unknown): value is LifecycleAction {
  return typeof value === 'string' && (LIFECYCLE_ACTIONS as readonly string[]).includes(value);
}

/**
 * What the caller says with an action. Each action reads only its own fields; the API's DTOs
 * whitelist them per action, and the machine re-checks what it relies on.
 */
export interface LifecycleCommand {
  /** Why (mark-ineligible, reject, withdraw-offer, extend-offer, suspend, terminate, waive-underspend): required there. */
  reason?: string;
  /** Questions for the applicant (request-information) or the applicant's answer (provide-information). */
  message?: string;
  /** approve: the amount awarded; record-return: the amount returned. */
  amountPence?: Pence;
  /** approve: conditions the applicant must meet before the grant becomes active. */
  conditions?: string[];
  /** terminate: money to be paid back. */
  clawbackPence?: Pence;
  /** request-payment-release / release-payment: which payment. */
  paymentId?: string;
  /** release-payment / record-return: the finance reference. */
  reference?: string;
  reportId?: string;
  narrative?: string;
  spendToDatePence?: Pence;
  comments?: string;
  /** accept-offer: who signs for the organisation, their role in it, and that they agree to the offer's terms. */
  signatoryName?: string;
  signatoryRole?: string;
  acceptsTerms?: boolean;
  /** extend-offer: the offer's new last day (YYYY-MM-DD, a London date); it lapses as that day ends. */
  offerExpiresOn?: string;
  /** Where the command came from ('portal' or 'api'), recorded with acceptance. */
  source?: 'portal' | 'api';
}
