import { FieldProblem } from '../errors/use-case-error';
import { FundBalances, LedgerEntryDraft } from '../money/fund-money';
import { Pence } from '../money/pence';
import { ActorRole } from './actor-role';
import { ApplicationState, InformationRequestOrigin } from './application-state';
import { LifecycleAction, LifecycleCommand } from './lifecycle-action';

/** `pending` waits for its trigger (e.g. the interim report's acceptance); `scheduled` may be released. */
export type PaymentState = 'pending' | 'scheduled' | 'paid' | 'cancelled';
export const PAYMENT_TRIGGERS = ['on_acceptance', 'on_interim_report_accepted'] as const;
export type PaymentTrigger = (typeof PAYMENT_TRIGGERS)[number];
export type ReportKind = 'interim' | 'final';
export type ReportState = 'due' | 'submitted' | 'accepted' | 'returned' | 'cancelled';

/** What the machine needs to know about the application, loaded by the caller. */
export interface ApplicationFacts {
  requestedPence: Pence;
  /** The amount offered at approval; null before. */
  awardedPence: Pence | null;
  /**
   * Open conditions that must be met before the grant can start (and its first payment go out).
   * With tracked conditions, the caller loads the open ones that block the first payment.
   */
  conditions: readonly string[];
  /** Open conditions that must be met before the offer can be accepted. */
  offerAcceptanceBlockers?: readonly string[];
  /** The conditions above come from tracked condition records (met or waived ones drop out). */
  conditionsTracked?: boolean;
  returnToState: InformationRequestOrigin | null;
  disbursedPence: Pence;
  returnedPence: Pence;
  underspendWaived: boolean;
  payments: readonly { id: string; amountPence: Pence; state: PaymentState }[];
  reports: readonly { id: string; kind: ReportKind; state: ReportState; spendToDatePence: Pence | null }[];
  /** Open conditions that hold up every payment (the caller loads them from tracked conditions). */
  paymentBlockers?: readonly string[];
  /** Reports past their due date and not yet submitted, as of the caller's today in Europe/London. */
  overdueReports?: readonly ReportKind[];
  /** When the offer lapses (set at approval, moved by extend-offer); null before. */
  offerExpiresAt?: Date | null;
  // Facts below are loaded only on the action path, for the actions whose rule `needs` them: a
  // missing one means "not known" and nothing is refused on it (the GET view does not load them).
  /**
   * The actor's latest conflict-of-interest declaration on this application (assessment and decision
   * actions): true (conflicted), false (none), or null when they have not declared.
   */
  actorDeclaration?: boolean | null;
  /**
   * Who last asked for the commanded payment's release (release-payment, on a fund that needs a second
   * officer): 'none', 'actor' (the one now confirming) or 'another' officer.
   */
  releaseRequest?: 'none' | 'actor' | 'another';
  /** The decider's own position on this application (approve, reject). */
  decider?: DeciderFacts;
  /** Whether the risk assessment can be completed (complete-assessment): fund without a rubric is 'ready'. */
  assessmentReadiness?: 'ready' | 'not_scored' | 'not_countersigned';
  /** Every problem with the application's answers to its form, checked as complete (submit). */
  submissionProblems?: readonly FieldProblem[];
  /** The report being submitted, judged on its form (submit-report): absent for a report without a form. */
  reportForm?: ReportFormFacts;
}

export interface DeciderFacts {
  /** The actor scored this application's assessment. */
  assessedIt: boolean;
  /** The fund lets the assessor also decide. */
  fundAllowsAssessorToDecide: boolean;
}

export interface ReportFormFacts {
  reportId: string;
  problems: readonly FieldProblem[];
  /** What the complete form says, recorded by the machine instead of the command's fields. */
  narrative?: string;
  spendToDatePence?: Pence;
}

/** Facts only some actions need, named in their rule so the caller loads them on the action path. */
export type FactNeed =
  'declaration' | 'decider' | 'release-request' | 'assessment-readiness' | 'submission-problems' | 'report-form';

/** The fund's money, read under the fund row's lock by any action that commits money. */
export interface MoneyFacts {
  grantablePence: Pence;
  balances: FundBalances;
  maxPerOrganisationPence: Pence;
  /** Commitments less releases across all of this organisation's applications in the fund. */
  organisationAwardedPence: Pence;
}

export interface FundRules {
  /** Tranches as percentages of the award and what makes each payable (pilot: 100% on acceptance). */
  paymentSchedule: readonly { percent: number; trigger: PaymentTrigger }[];
  /** Monitoring reports from acceptance, as ISO-8601 durations (pilot: interim P6M, final P12M). */
  reportSchedule: readonly { kind: ReportKind; dueAfter: string }[];
  /** One officer requests a payment's release and a different one confirms it before money moves. */
  paymentReleaseNeedsSecondOfficer?: boolean;
}

export interface TransitionContext {
  application: ApplicationFacts;
  fund: FundRules;
  /** Required by actions that commit money (approve); the caller loads it under the fund lock. */
  money?: MoneyFacts;
  /** The caller's clock, for rules about time (an offer's lapse); absent, nothing is refused on it. */
  now?: Date;
}

export interface TransitionInput {
  state: ApplicationState;
  role: ActorRole;
  action: string;
  context: TransitionContext;
  command?: LifecycleCommand;
}

export type NotificationTemplate =
  | 'application-received'
  | 'new-submission'
  | 'application-withdrawn'
  | 'information-requested'
  | 'information-provided'
  | 'application-ineligible'
  | 'award-offered'
  | 'application-rejected'
  | 'offer-accepted'
  | 'offer-declined'
  | 'offer-expired'
  | 'offer-withdrawn'
  | 'offer-extended'
  | 'grant-active'
  | 'payment-released'
  | 'report-submitted'
  | 'report-returned'
  | 'grant-suspended'
  | 'grant-reinstated'
  | 'grant-terminated'
  | 'grant-closed'
  | 'condition-resolved';

/** Who receives it: the organisation's members, or the officers responsible for the fund. */
export type NotificationAudience = 'applicant' | 'fund_officers';

export interface NotificationDraft {
  template: NotificationTemplate;
  audience: NotificationAudience;
}

/** Jobs that follow a money change: reconcile the fund's balances, and recalculate its fee. */
export type JobDraft = { queue: 'budget'; name: 'reconcile-fund' } | { queue: 'fees'; name: 'calculate-fee' };

export interface ApplicationPatch {
  awardedPence?: Pence;
  conditions?: string[];
  returnToState?: InformationRequestOrigin | null;
  underspendWaived?: boolean;
  /** The offer's new expiry instant (extend-offer). */
  offerExpiresAt?: Date;
}

/** Columns stamped with the transition's time. */
export type StampColumn = 'submitted_at' | 'decided_at' | 'accepted_at';

/** Records written beside the transition, each by its own store. */
export type RecordKind = 'eligibility-at-submission' | 'award-conditions';

/** What the writer must do besides the patch, from the rule: it names no action. */
export interface WriteInstructions {
  stamps: readonly StampColumn[];
  /** 'fund-offer-validity': the offer lapses after the fund's offer validity, counted from now. */
  offerExpiry?: 'fund-offer-validity';
  records: readonly RecordKind[];
}

export type PaymentEffect =
  | { op: 'schedule'; amountPence: Pence; tranche: number; trigger: PaymentTrigger }
  | { op: 'make-due'; trigger: PaymentTrigger }
  | { op: 'mark-paid'; paymentId: string; reference: string }
  | { op: 'cancel-scheduled' };

export type ReportEffect =
  | { op: 'schedule'; kind: ReportKind; dueAfter: string }
  | { op: 'submit'; reportId: string; narrative: string; spendToDatePence: Pence }
  | { op: 'accept'; reportId: string }
  | { op: 'return'; reportId: string; comments: string }
  | { op: 'cancel-open' };

export interface TransitionEvent {
  action: LifecycleAction;
  from: ApplicationState;
  to: ApplicationState;
  reason: string | null;
  data: Record<string, unknown>;
}

/** An allowed transition: the next state and everything the caller must write with it. */
export interface Transition {
  ok: true;
  from: ApplicationState;
  to: ApplicationState;
  event: TransitionEvent;
  ledger: LedgerEntryDraft[];
  notifications: NotificationDraft[];
  jobs: JobDraft[];
  patch: ApplicationPatch;
  payments: PaymentEffect[];
  reports: ReportEffect[];
  writes: WriteInstructions;
}

export const REFUSAL_CODES = [
  'unknown_action',
  'not_allowed_in_state',
  'role_not_permitted',
  'invalid_command',
  'money_facts_missing',
  'exceeds_requested_amount',
  'exceeds_fund_available',
  'exceeds_organisation_cap',
  'payment_not_found',
  'payment_not_scheduled',
  'report_not_found',
  'report_not_open',
  'report_not_submitted',
  'clawback_exceeds_disbursed',
  'return_exceeds_underspend',
  'no_underspend',
  'underspend_unresolved',
  'conditions_unmet',
  'report_overdue',
  'declaration_required',
  'conflict_of_interest',
  'approver_is_assessor',
  'assessment_missing',
  'countersignature_required',
  'application_incomplete',
  'report_incomplete',
  'offer_lapsed',
  'expiry_not_later',
  'release_not_requested',
  'second_officer_required',
  'second_officer_not_needed',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** A typed refusal: what went wrong, in words a person can act on, and the field if one. */
export interface Refusal {
  ok: false;
  code: RefusalCode;
  message: string;
  field?: keyof LifecycleCommand;
  /** Every problem, when there are several (an incomplete form); otherwise `field` with `message`. */
  problems?: readonly FieldProblem[];
}

export type TransitionResult = Transition | Refusal;
