import { availableForGrants, LedgerEntryDraft, splitByPercent } from '../money/fund-money';
import { formatPounds, isPence, isPositivePence, Pence } from '../money/pence';
import { rolesWith } from '../access/permissions';
import { ActorRole } from './actor-role';
import { ApplicationState } from './application-state';
import { isIsoDate } from './action-commands';
import { endOfLondonDay } from './offer-expiry';
import { londonDate } from '../schedule/clock';
import { LifecycleAction, LifecycleCommand } from './lifecycle-action';
import {
  ApplicationFacts,
  ApplicationPatch,
  JobDraft,
  NotificationDraft,
  PaymentEffect,
  FactNeed,
  Refusal,
  RefusalCode,
  ReportEffect,
  TransitionContext,
  WriteInstructions,
} from './transition-types';

/** What a rule decides; `decide` wraps it into a Transition with its event. */
export interface Outcome {
  to: ApplicationState;
  reason?: string;
  data?: Record<string, unknown>;
  ledger?: LedgerEntryDraft[];
  notifications?: NotificationDraft[];
  jobs?: JobDraft[];
  patch?: ApplicationPatch;
  payments?: PaymentEffect[];
  reports?: ReportEffect[];
}

export interface TransitionRule {
  roles: readonly ActorRole[];
  /** A check on the facts alone (no command), so that `allowedActions` offers only what can succeed. */
  guard?: (ctx: TransitionContext) => Refusal | null;
  decide: (ctx: TransitionContext, cmd: LifecycleCommand) => Outcome | Refusal;
  /**
   * Checks on facts only the action path loads (`needs`), judged once the command is found sound:
   * a missing fact is not known, and refuses nothing.
   */
  gate?: (ctx: TransitionContext) => Refusal | null;
  /** Facts the caller loads for this action, besides the application's own. */
  needs?: readonly FactNeed[];
  /** The action moves the fund's money: the caller locks the fund row and loads MoneyFacts first. */
  commitsMoney?: true;
  /** What the writer does besides the outcome's effects. */
  writes?: Partial<WriteInstructions>;
}

export function refuse(
  code: RefusalCode,
  message: string,
  field?: keyof LifecycleCommand,
  problems?: Refusal['problems'],
): Refusal {
  return problems ? { ok: false, code, message, field, problems } : { ok: false, code, message, field };
}

const MAX_TEXT = 5000;

function requiredText(
  cmd: LifecycleCommand,
  field: 'reason' | 'message' | 'comments' | 'narrative' | 'reference' | 'signatoryName' | 'signatoryRole',
): string | Refusal {
  const value = cmd[field];
  if (typeof value !== 'string' || value.trim() === '') return refuse('invalid_command', `${field} is required`, field);
  if (value.length > MAX_TEXT)
    return refuse('invalid_command', `${field} must be at most ${MAX_TEXT} characters`, field);
  return value.trim();
}

function optionalText(cmd: LifecycleCommand, field: 'reason'): string | undefined {
  const value = cmd[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, MAX_TEXT) : undefined;
}

const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && (v as Refusal).ok === false;

// Who may take each action comes from the permissions table (access/permissions.ts).
const OFFICERS: readonly ActorRole[] = rolesWith('manage-grants');
const ASSESSORS: readonly ActorRole[] = rolesWith('screen-and-assess');
const DECIDERS: readonly ActorRole[] = rolesWith('decide-awards');
const APPLICANT: readonly ActorRole[] = rolesWith('apply-for-organisation');
const SYSTEM: readonly ActorRole[] = rolesWith('run-scheduled-transitions');

const RECONCILE: JobDraft[] = [
  { queue: 'budget', name: 'reconcile-fund' },
  { queue: 'fees', name: 'calculate-fee' },
];

/** What is promised to this application and not yet paid. */
function outstandingCommitment(app: ApplicationFacts): Pence {
  return Math.max(0, (app.awardedPence ?? 0) - app.disbursedPence);
}

function releaseOutstanding(app: ApplicationFacts): LedgerEntryDraft[] {
  const amount = outstandingCommitment(app);
  return amount > 0 ? [{ kind: 'release', amountPence: amount }] : [];
}

/** Money paid out and not spent according to the accepted final report, less what came back. */
export function unresolvedUnderspend(app: ApplicationFacts): Pence {
  if (app.underspendWaived) return 0;
  const final = app.reports.find((r) => r.kind === 'final' && r.state === 'accepted');
  const spent = final?.spendToDatePence ?? app.disbursedPence;
  return Math.max(0, app.disbursedPence - spent - app.returnedPence);
}

const withdraw: TransitionRule = {
  roles: APPLICANT,
  decide: (_ctx, cmd) => ({
    to: 'withdrawn',
    reason: optionalText(cmd, 'reason'),
    notifications: [{ template: 'application-withdrawn', audience: 'fund_officers' }],
  }),
};

const requestInformation = (from: 'screening' | 'risk_assessment'): TransitionRule => ({
  roles: ASSESSORS,
  decide: (_ctx, cmd) => {
    const message = requiredText(cmd, 'message');
    if (isRefusal(message)) return message;
    return {
      to: 'information_requested',
      data: { message },
      patch: { returnToState: from },
      notifications: [{ template: 'information-requested', audience: 'applicant' }],
    };
  },
});

const terminate: TransitionRule = {
  roles: OFFICERS,
  decide: (ctx, cmd) => {
    const reason = requiredText(cmd, 'reason');
    if (isRefusal(reason)) return reason;
    const clawback = cmd.clawbackPence ?? 0;
    if (!isPence(clawback) || clawback < 0) {
      return refuse('invalid_command', 'clawbackPence must be a whole number of pence, 0 or more', 'clawbackPence');
    }
    const app = ctx.application;
    if (clawback > app.disbursedPence - app.returnedPence) {
      return refuse(
        'clawback_exceeds_disbursed',
        `The clawback ${formatPounds(clawback)} exceeds what was paid and not returned (${formatPounds(app.disbursedPence - app.returnedPence)})`,
        'clawbackPence',
      );
    }
    const ledger: LedgerEntryDraft[] = releaseOutstanding(app);
    if (clawback > 0) ledger.push({ kind: 'return', amountPence: clawback });
    return {
      to: 'terminated',
      reason,
      data: { clawbackPence: clawback },
      ledger,
      jobs: RECONCILE,
      payments: [{ op: 'cancel-scheduled' }],
      reports: [{ op: 'cancel-open' }],
      notifications: [{ template: 'grant-terminated', audience: 'applicant' }],
    };
  },
};

const awaitingReview = (ctx: TransitionContext): Refusal | null =>
  ctx.application.reports.some((r) => r.state === 'submitted')
    ? null
    : refuse('report_not_submitted', 'No report is waiting for review');

/** The report an officer reviews: it must exist on this grant and be submitted. */
function submittedReport(ctx: TransitionContext, cmd: LifecycleCommand): ApplicationFacts['reports'][number] | Refusal {
  const report = ctx.application.reports.find((r) => r.id === cmd.reportId);
  if (!report) return refuse('report_not_found', 'No such report on this grant', 'reportId');
  if (report.state !== 'submitted')
    return refuse('report_not_submitted', `This report is ${report.state}, not submitted`, 'reportId');
  return report;
}

/** An offer whose expiry has passed by the caller's clock (the scheduler may not have lapsed it yet). */
function offerLapsed(ctx: TransitionContext, what: 'accepted' | 'extended'): Refusal | null {
  const current = ctx.application.offerExpiresAt;
  return ctx.now && current && current.getTime() <= ctx.now.getTime()
    ? refuse('offer_lapsed', `The offer lapsed on ${londonDate(current)}; it can no longer be ${what}`)
    : null;
}

/** Payments and reports begin when the grant becomes active; later tranches wait for their trigger. */
function activation(ctx: TransitionContext): Pick<Outcome, 'payments' | 'reports'> {
  const schedule = ctx.fund.paymentSchedule;
  const amounts = splitByPercent(
    ctx.application.awardedPence ?? 0,
    schedule.map((t) => t.percent),
  );
  return {
    payments: amounts.flatMap((amountPence, i) =>
      amountPence > 0 ? [{ op: 'schedule' as const, amountPence, tranche: i + 1, trigger: schedule[i].trigger }] : [],
    ),
    reports: ctx.fund.reportSchedule.map((r) => ({ op: 'schedule', kind: r.kind, dueAfter: r.dueAfter })),
  };
}

/**
 * Whoever assesses or decides has said whether they have a conflict of interest in this application,
 * and has none: a missing declaration, or a conflicted one, refuses the action.
 */
const declarationGate = (ctx: TransitionContext): Refusal | null =>
  declarationRefusal(ctx.application.actorDeclaration);

/** The refusal for a person's latest declaration (undefined: not known, refuses nothing); also for scoring. */
export function declarationRefusal(declared: boolean | null | undefined): Refusal | null {
  if (declared === undefined) return null;
  if (declared === null)
    return refuse(
      'declaration_required',
      'Declare whether you have a conflict of interest in this application before you assess or decide it',
    );
  if (declared)
    return refuse(
      'conflict_of_interest',
      'You declared a conflict of interest in this application, so someone else must assess or decide it',
    );
  return null;
}

/** A decision's own rules: a declaration without conflict, and (unless the fund allows it) not the assessor. */
const decisionGate = (ctx: TransitionContext): Refusal | null => {
  const declared = declarationGate(ctx);
  if (declared) return declared;
  const decider = ctx.application.decider;
  if (decider?.assessedIt && !decider.fundAllowsAssessorToDecide)
    return refuse('approver_is_assessor', 'You assessed this application, so someone else must decide it');
  return null;
};

/** The payment named by the command, scheduled: the checks common to requesting and releasing it. */
function scheduledPayment(
  ctx: TransitionContext,
  cmd: LifecycleCommand,
): ApplicationFacts['payments'][number] | Refusal {
  const payment = ctx.application.payments.find((p) => p.id === cmd.paymentId);
  if (!payment) return refuse('payment_not_found', 'No such payment on this grant', 'paymentId');
  if (payment.state !== 'scheduled')
    return refuse('payment_not_scheduled', `This payment is ${payment.state}, not scheduled`, 'paymentId');
  return payment;
}

/** The checks before finance is told to pay (or asked to, on a fund that needs two officers). */
const releasable = (ctx: TransitionContext): Refusal | null => {
  const app = ctx.application;
  if (!app.payments.some((p) => p.state === 'scheduled'))
    return refuse('payment_not_scheduled', 'No payment is waiting to be released');
  const blockers = app.paymentBlockers ?? [];
  if (blockers.length > 0)
    return refuse(
      'conditions_unmet',
      `No payment can be released until these conditions are met: ${blockers.join('; ')}`,
    );
  const overdue = app.overdueReports ?? [];
  if (overdue.length > 0)
    return refuse('report_overdue', `No payment can be released while the ${overdue.join(' and ')} report is overdue`);
  return null;
};

/** On a fund that needs two officers, a release confirms another officer's request. */
const releaseGate = (ctx: TransitionContext): Refusal | null => {
  if (ctx.fund.paymentReleaseNeedsSecondOfficer !== true) return null;
  const request = ctx.application.releaseRequest;
  if (request === 'none')
    return refuse(
      'release_not_requested',
      'This fund needs two officers to release a payment: one requests the release, another confirms it',
      'paymentId',
    );
  if (request === 'actor')
    return refuse(
      'second_officer_required',
      'You requested this release, so a different officer must confirm it',
      'paymentId',
    );
  return null;
};

/** Scoring and judging an application, by an assessor who has declared no conflict. */
const assessing = (rule: TransitionRule): TransitionRule => ({
  ...rule,
  needs: ['declaration', ...(rule.needs ?? [])],
  gate: (ctx) => declarationGate(ctx) ?? rule.gate?.(ctx) ?? null,
});

/**
 * The lifecycle of docs/domain.md §3 as data: for each state, the actions it allows, who may take them,
 * and what follows. Nothing else in the code base decides a transition.
 */
export const TRANSITION_TABLE: Readonly<Record<ApplicationState, Partial<Record<LifecycleAction, TransitionRule>>>> = {
  draft: {
    submit: {
      roles: APPLICANT,
      needs: ['submission-problems'],
      // The form decides what complete means; every problem is listed so it can all be fixed at once.
      gate: (ctx) => {
        const problems = ctx.application.submissionProblems ?? [];
        return problems.length === 0
          ? null
          : refuse('application_incomplete', 'The application is not complete yet', undefined, problems);
      },
      writes: { stamps: ['submitted_at'], records: ['eligibility-at-submission'] },
      decide: () => ({
        to: 'submitted',
        notifications: [
          { template: 'application-received', audience: 'applicant' },
          { template: 'new-submission', audience: 'fund_officers' },
        ],
      }),
    },
    discard: { roles: APPLICANT, decide: () => ({ to: 'discarded' }) },
  },
  submitted: {
    'start-screening': { roles: ASSESSORS, decide: () => ({ to: 'screening' }) },
    withdraw,
  },
  screening: {
    'confirm-eligible': assessing({ roles: ASSESSORS, decide: () => ({ to: 'risk_assessment' }) }),
    'mark-ineligible': assessing({
      roles: ASSESSORS,
      decide: (_ctx, cmd) => {
        const reason = requiredText(cmd, 'reason');
        if (isRefusal(reason)) return reason;
        return {
          to: 'ineligible',
          reason,
          notifications: [{ template: 'application-ineligible', audience: 'applicant' }],
        };
      },
    }),
    'request-information': requestInformation('screening'),
    withdraw,
  },
  information_requested: {
    'provide-information': {
      roles: APPLICANT,
      decide: (ctx, cmd) => {
        const message = requiredText(cmd, 'message');
        if (isRefusal(message)) return message;
        return {
          to: ctx.application.returnToState ?? 'screening',
          data: { message },
          patch: { returnToState: null },
          notifications: [{ template: 'information-provided', audience: 'fund_officers' }],
        };
      },
    },
    withdraw,
  },
  risk_assessment: {
    'complete-assessment': assessing({
      roles: ASSESSORS,
      needs: ['assessment-readiness'],
      gate: (ctx) => {
        const readiness = ctx.application.assessmentReadiness;
        if (readiness === 'not_scored')
          return refuse('assessment_missing', 'Score the risk-capability assessment before completing it', undefined, [
            { field: 'assessment', message: 'not scored yet' },
          ]);
        if (readiness === 'not_countersigned')
          return refuse(
            'countersignature_required',
            'A second officer must countersign this assessment first',
            undefined,
            [{ field: 'assessment', message: 'not countersigned' }],
          );
        return null;
      },
      decide: () => ({ to: 'awaiting_decision' }),
    }),
    'request-information': requestInformation('risk_assessment'),
    withdraw,
  },
  awaiting_decision: {
    approve: {
      roles: DECIDERS,
      commitsMoney: true,
      needs: ['declaration', 'decider'],
      gate: decisionGate,
      writes: { stamps: ['decided_at'], offerExpiry: 'fund-offer-validity', records: ['award-conditions'] },
      decide: (ctx, cmd) => {
        const amount = cmd.amountPence;
        if (!isPositivePence(amount)) {
          return refuse('invalid_command', 'amountPence must be a whole number of pence greater than 0', 'amountPence');
        }
        const app = ctx.application;
        if (amount > app.requestedPence) {
          return refuse(
            'exceeds_requested_amount',
            `The award ${formatPounds(amount)} exceeds the ${formatPounds(app.requestedPence)} requested`,
            'amountPence',
          );
        }
        const conditions = (cmd.conditions ?? [])
          .map((c) => (typeof c === 'string' ? c.trim() : ''))
          .filter((c) => c !== '');
        const money = ctx.money;
        if (!money) return refuse('money_facts_missing', 'The fund balances were not loaded for this approval');
        const available = availableForGrants(money.grantablePence, money.balances);
        if (amount > available) {
          return refuse(
            'exceeds_fund_available',
            `The fund has ${formatPounds(Math.max(0, available))} available for grants; ${formatPounds(amount)} does not fit`,
            'amountPence',
          );
        }
        const headroom = money.maxPerOrganisationPence - money.organisationAwardedPence;
        if (amount > headroom) {
          return refuse(
            'exceeds_organisation_cap',
            `This organisation can be awarded at most ${formatPounds(Math.max(0, headroom))} more from this fund (cap ${formatPounds(money.maxPerOrganisationPence)})`,
            'amountPence',
          );
        }
        return {
          to: 'offered',
          reason: optionalText(cmd, 'reason'),
          data: { amountPence: amount, conditions },
          ledger: [{ kind: 'commitment', amountPence: amount }],
          jobs: RECONCILE,
          patch: { awardedPence: amount, conditions },
          notifications: [{ template: 'award-offered', audience: 'applicant' }],
        };
      },
    },
    reject: {
      roles: DECIDERS,
      needs: ['declaration', 'decider'],
      gate: decisionGate,
      writes: { stamps: ['decided_at'] },
      decide: (_ctx, cmd) => {
        const reason = requiredText(cmd, 'reason');
        if (isRefusal(reason)) return reason;
        return { to: 'rejected', reason, notifications: [{ template: 'application-rejected', audience: 'applicant' }] };
      },
    },
    withdraw,
  },
  offered: {
    'accept-offer': {
      roles: APPLICANT,
      // An offer past its expiry is refused even before the scheduler lapses it.
      guard: (ctx) => {
        const lapsed = offerLapsed(ctx, 'accepted');
        if (lapsed) return lapsed;
        const blockers = ctx.application.offerAcceptanceBlockers ?? [];
        return blockers.length === 0
          ? null
          : refuse(
              'conditions_unmet',
              `The offer can be accepted once these conditions are met: ${blockers.join('; ')}`,
            );
      },
      writes: { stamps: ['accepted_at'] },
      // Acceptance is signed: who signs for the organisation, in what role, agreeing to the terms.
      decide: (ctx, cmd) => {
        const signatoryName = requiredText(cmd, 'signatoryName');
        if (isRefusal(signatoryName)) return signatoryName;
        const signatoryRole = requiredText(cmd, 'signatoryRole');
        if (isRefusal(signatoryRole)) return signatoryRole;
        if (cmd.acceptsTerms !== true)
          return refuse(
            'invalid_command',
            'acceptsTerms must be true: the signatory agrees to the offer’s terms',
            'acceptsTerms',
          );
        const data = {
          signatoryName,
          signatoryRole,
          acceptsTerms: true,
          source: cmd.source === 'portal' ? 'portal' : 'api',
        };
        return ctx.application.conditions.length > 0
          ? {
              to: 'conditions_pending',
              data,
              notifications: [{ template: 'offer-accepted', audience: 'fund_officers' }],
            }
          : {
              to: 'active',
              data,
              ...activation(ctx),
              notifications: [
                { template: 'offer-accepted', audience: 'fund_officers' },
                { template: 'grant-active', audience: 'applicant' },
              ],
            };
      },
    },
    'decline-offer': {
      roles: APPLICANT,
      decide: (ctx, cmd) => ({
        to: 'declined',
        reason: optionalText(cmd, 'reason'),
        ledger: releaseOutstanding(ctx.application),
        jobs: RECONCILE,
        notifications: [{ template: 'offer-declined', audience: 'fund_officers' }],
      }),
    },
    'expire-offer': {
      roles: SYSTEM,
      decide: (ctx) => ({
        to: 'offer_expired',
        ledger: releaseOutstanding(ctx.application),
        jobs: RECONCILE,
        notifications: [{ template: 'offer-expired', audience: 'applicant' }],
      }),
    },
    'withdraw-offer': {
      roles: OFFICERS,
      decide: (ctx, cmd) => {
        const reason = requiredText(cmd, 'reason');
        if (isRefusal(reason)) return reason;
        return {
          to: 'withdrawn',
          reason,
          ledger: releaseOutstanding(ctx.application),
          jobs: RECONCILE,
          notifications: [{ template: 'offer-withdrawn', audience: 'applicant' }],
        };
      },
    },
    // An officer gives the applicant longer to accept, before the offer lapses, saying why.
    'extend-offer': {
      roles: OFFICERS,
      guard: (ctx) => offerLapsed(ctx, 'extended'),
      decide: (ctx, cmd) => {
        const reason = requiredText(cmd, 'reason');
        if (isRefusal(reason)) return reason;
        const day = cmd.offerExpiresOn;
        if (!isIsoDate(day))
          return refuse('invalid_command', 'offerExpiresOn must be a date as YYYY-MM-DD', 'offerExpiresOn');
        // Dates as people read them: the new last day must come after the current one.
        const current = ctx.application.offerExpiresAt ?? null;
        if (current && day <= londonDate(current))
          return refuse(
            'expiry_not_later',
            `The new expiry date must be after the current one, ${londonDate(current)}`,
            'offerExpiresOn',
          );
        return {
          to: 'offered',
          reason,
          data: { previousExpiresOn: current ? londonDate(current) : null, offerExpiresOn: day },
          patch: { offerExpiresAt: endOfLondonDay(day) },
          notifications: [{ template: 'offer-extended', audience: 'applicant' }],
        };
      },
    },
  },
  conditions_pending: {
    'confirm-conditions': {
      roles: OFFICERS,
      // With tracked conditions, the facts list those still open: each must be met or waived first.
      guard: (ctx) =>
        ctx.application.conditions.length === 0 || ctx.application.conditionsTracked !== true
          ? null
          : refuse(
              'conditions_unmet',
              `Mark each condition met or waived first: ${ctx.application.conditions.join('; ')}`,
            ),
      decide: (ctx) => ({
        to: 'active',
        ...activation(ctx),
        notifications: [{ template: 'grant-active', audience: 'applicant' }],
      }),
    },
    terminate,
  },
  active: {
    // On a fund that needs two officers, one asks for the release and a different one confirms it.
    'request-payment-release': {
      roles: OFFICERS,
      guard: (ctx) =>
        ctx.fund.paymentReleaseNeedsSecondOfficer === true
          ? releasable(ctx)
          : refuse('second_officer_not_needed', 'This fund does not need a second officer: release the payment'),
      decide: (ctx, cmd) => {
        const payment = scheduledPayment(ctx, cmd);
        if (isRefusal(payment)) return payment;
        return { to: 'active', data: { paymentId: payment.id, amountPence: payment.amountPence } };
      },
    },
    'release-payment': {
      roles: OFFICERS,
      // The engine records payments; these are the checks before finance is told to pay.
      guard: releasable,
      needs: ['release-request'],
      gate: releaseGate,
      decide: (ctx, cmd) => {
        const payment = scheduledPayment(ctx, cmd);
        if (isRefusal(payment)) return payment;
        const reference = requiredText(cmd, 'reference');
        if (isRefusal(reference)) return reference;
        return {
          to: 'active',
          data: { paymentId: payment.id, amountPence: payment.amountPence, reference },
          ledger: [{ kind: 'disbursement', amountPence: payment.amountPence }],
          jobs: RECONCILE,
          payments: [{ op: 'mark-paid', paymentId: payment.id, reference }],
          notifications: [{ template: 'payment-released', audience: 'applicant' }],
        };
      },
    },
    'submit-report': {
      roles: APPLICANT,
      needs: ['report-form'],
      guard: (ctx) =>
        ctx.application.reports.some((r) => r.state === 'due' || r.state === 'returned')
          ? null
          : refuse('report_not_open', 'No report is waiting to be submitted'),
      decide: (ctx, cmd) => {
        const report = ctx.application.reports.find((r) => r.id === cmd.reportId);
        if (!report) return refuse('report_not_found', 'No such report on this grant', 'reportId');
        if (report.state !== 'due' && report.state !== 'returned') {
          return refuse('report_not_open', `This report is ${report.state}; it cannot be submitted now`, 'reportId');
        }
        // A report answered on its form is submitted from its stored answers: the whole form must be complete.
        const form = ctx.application.reportForm?.reportId === report.id ? ctx.application.reportForm : undefined;
        if (form && form.problems.length > 0)
          return refuse('report_incomplete', 'The report is not complete yet', undefined, form.problems);
        if (form) cmd = { ...cmd, narrative: form.narrative, spendToDatePence: form.spendToDatePence };
        const narrative = requiredText(cmd, 'narrative');
        if (isRefusal(narrative)) return narrative;
        const spend = cmd.spendToDatePence;
        if (!isPence(spend) || spend < 0) {
          return refuse(
            'invalid_command',
            'spendToDatePence must be a whole number of pence, 0 or more',
            'spendToDatePence',
          );
        }
        return {
          to: 'active',
          data: { reportId: report.id, kind: report.kind },
          reports: [{ op: 'submit', reportId: report.id, narrative, spendToDatePence: spend }],
          notifications: [{ template: 'report-submitted', audience: 'fund_officers' }],
        };
      },
    },
    'accept-report': {
      roles: OFFICERS,
      guard: awaitingReview,
      decide: (ctx, cmd) => {
        const report = submittedReport(ctx, cmd);
        if (isRefusal(report)) return report;
        const unlocks = report.kind === 'interim' && ctx.application.payments.some((p) => p.state === 'pending');
        return {
          to: report.kind === 'final' ? 'closing' : 'active',
          data: { reportId: report.id, kind: report.kind },
          reports: [{ op: 'accept', reportId: report.id }],
          payments: unlocks ? [{ op: 'make-due', trigger: 'on_interim_report_accepted' }] : [],
        };
      },
    },
    'return-report': {
      roles: OFFICERS,
      guard: awaitingReview,
      decide: (ctx, cmd) => {
        const report = submittedReport(ctx, cmd);
        if (isRefusal(report)) return report;
        const comments = requiredText(cmd, 'comments');
        if (isRefusal(comments)) return comments;
        return {
          to: 'active',
          data: { reportId: report.id, kind: report.kind },
          reports: [{ op: 'return', reportId: report.id, comments }],
          notifications: [{ template: 'report-returned', audience: 'applicant' }],
        };
      },
    },
    suspend: {
      roles: OFFICERS,
      decide: (_ctx, cmd) => {
        const reason = requiredText(cmd, 'reason');
        if (isRefusal(reason)) return reason;
        return { to: 'suspended', reason, notifications: [{ template: 'grant-suspended', audience: 'applicant' }] };
      },
    },
    terminate,
  },
  suspended: {
    reinstate: {
      roles: OFFICERS,
      decide: () => ({ to: 'active', notifications: [{ template: 'grant-reinstated', audience: 'applicant' }] }),
    },
    terminate,
  },
  closing: {
    'record-return': {
      roles: OFFICERS,
      guard: (ctx) =>
        unresolvedUnderspend(ctx.application) > 0 ? null : refuse('no_underspend', 'There is no underspend to return'),
      decide: (ctx, cmd) => {
        const amount = cmd.amountPence;
        if (!isPositivePence(amount)) {
          return refuse('invalid_command', 'amountPence must be a whole number of pence greater than 0', 'amountPence');
        }
        const open = unresolvedUnderspend(ctx.application);
        if (amount > open) {
          return refuse(
            'return_exceeds_underspend',
            `The return ${formatPounds(amount)} exceeds the unresolved underspend of ${formatPounds(open)}`,
            'amountPence',
          );
        }
        const reference = requiredText(cmd, 'reference');
        if (isRefusal(reference)) return reference;
        return {
          to: 'closing',
          data: { amountPence: amount, reference },
          ledger: [{ kind: 'return', amountPence: amount }],
          jobs: RECONCILE,
        };
      },
    },
    'waive-underspend': {
      roles: OFFICERS,
      guard: (ctx) =>
        unresolvedUnderspend(ctx.application) > 0 ? null : refuse('no_underspend', 'There is no underspend to waive'),
      decide: (ctx, cmd) => {
        const reason = requiredText(cmd, 'reason');
        if (isRefusal(reason)) return reason;
        return {
          to: 'closing',
          reason,
          data: { waivedPence: unresolvedUnderspend(ctx.application) },
          patch: { underspendWaived: true },
        };
      },
    },
    close: {
      roles: OFFICERS,
      guard: (ctx) => {
        const open = unresolvedUnderspend(ctx.application);
        return open > 0
          ? refuse(
              'underspend_unresolved',
              `Record the return of ${formatPounds(open)} underspend or waive it before closing`,
            )
          : null;
      },
      decide: (ctx) => ({
        to: 'closed',
        ledger: releaseOutstanding(ctx.application),
        jobs: RECONCILE,
        payments: [{ op: 'cancel-scheduled' }],
        reports: [{ op: 'cancel-open' }],
        notifications: [{ template: 'grant-closed', audience: 'applicant' }],
      }),
    },
  },
  discarded: {},
  withdrawn: {},
  ineligible: {},
  rejected: {},
  declined: {},
  offer_expired: {},
  terminated: {},
  closed: {},
};
