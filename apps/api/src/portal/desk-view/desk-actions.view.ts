import { ApplicationView } from '@sg/applications';
import {
  ConditionBlocks,
  DeskHints,
  deskActions,
  formatPounds,
  isIsoDate,
  LifecycleAction,
  LifecycleCommand,
  londonDate,
  parsePounds,
  penceForInput,
  ReportKind,
  ReportState,
  unresolvedUnderspend,
} from '@sg/domain';
import { Messages } from '../messages';
import { field, PageErrors } from '../pages';

/** The desk's forms for the actions it offers, from each action's command schema (its desk hints). */
export const DESK_ACTIONS: Partial<Record<LifecycleAction, DeskHints>> = Object.fromEntries(
  deskActions().map((d) => [d.action, d.desk]),
);

/** The assessment's proposed conditions, as the approve form offers them. */
type Proposals = readonly { text: string; evidence?: string; blocks?: ConditionBlocks; source?: string }[];

/** The command a desk action's form makes, with the adopted conditions when the action adopts them. */
export type DeskCommand = LifecycleCommand & {
  conditionDetails?: { text: string; evidenceRequired?: string; blocks?: ConditionBlocks; source?: string }[];
};

/**
 * The lifecycle command a desk action's form posts, or the page errors when its reason is blank,
 * its amount is not pounds or its date is not a day. (The conditions an approval adopts are added
 * by `adoptedConditions`.)
 */
export function deskActionCommand(
  action: string,
  spec: DeskHints,
  f: Record<string, string | string[]>,
  messages: Messages,
): { command: DeskCommand } | { errors: PageErrors } {
  const invalid = (key: string, text: string) => ({
    errors: { errors: [{ text, href: `${action}-${key}` }], fieldErrors: { [`${action}:${key}`]: text } },
  });
  const command: DeskCommand = { source: 'portal' };
  if (spec.carries) command[spec.carries] = field(f, spec.carries);
  if (spec.text) {
    command[spec.text] = field(f, 'text');
    if (command[spec.text]!.trim() === '') return invalid('text', messages.t(`desk.required.${spec.text}`));
  }
  if (spec.amount) {
    const pence = parsePounds(field(f, 'amount'));
    if (pence === null) return invalid('amount', messages.t('desk.amountInvalid'));
    command[spec.amount] = pence;
  }
  if (spec.date) {
    const day = field(f, 'date').trim();
    if (!isIsoDate(day)) return invalid('date', messages.t('desk.dateInvalid'));
    command[spec.date] = day;
  }
  return { command };
}

/** The assessment's proposed conditions the decider kept ticked (`adopt`), as the award's tracked conditions. */
export function adoptedConditions(
  f: Record<string, string | string[]>,
  proposals: Proposals,
): NonNullable<DeskCommand['conditionDetails']> {
  const adopted = [f.adopt ?? []]
    .flat()
    .map(Number)
    .filter((i) => Number.isInteger(i) && proposals[i]);
  return adopted.map((i) => ({
    text: proposals[i].text,
    evidenceRequired: proposals[i].evidence,
    blocks: proposals[i].blocks,
    source: proposals[i].source,
  }));
}

/** The page errors for an action the machine refused: inline on the field it names, summarised with a link to the form. */
export function deskActionRefusal(action: string, spec: DeskHints, failedField: string, message: string): PageErrors {
  const fieldKey =
    failedField === spec.amount ? `${action}:amount` : failedField === spec.date ? `${action}:date` : `${action}:text`;
  const href = fieldKey.endsWith(':date')
    ? `${action}-date`
    : spec.amount
      ? `${action}-amount`
      : spec.text
        ? `${action}-text`
        : 'main-content';
  return { errors: [{ text: message, href }], fieldErrors: { [fieldKey]: message } };
}

/** The desk's action forms for what this reader may do next, with their defaults and inline errors. */
export function deskActionForms(
  app: ApplicationView,
  proposals: Proposals,
  fieldErrors: Record<string, string>,
  messages: Messages,
) {
  const t = (k: string, p?: Record<string, unknown>) => messages.t(k, p);
  // The desk releases payments in order: the form is for the earliest payment that is due.
  const nextPayment = app.payments.find((p) => p.state === 'scheduled');
  const waiting = app.reports.find((r) => r.state === 'submitted');
  const defaultAmounts: Partial<Record<LifecycleAction, string>> = {
    approve: app.requestedPence ? penceForInput(app.requestedPence) : '',
    // What the accepted final report left unspent and not yet returned: the usual amount to record.
    'record-return': penceForInput(underspendOf(app)),
    terminate: '0',
  };
  return app.allowedActions
    .filter((a) => DESK_ACTIONS[a])
    .map((a) => {
      const spec = DESK_ACTIONS[a]!;
      return {
        name: a,
        label: t(`action.${a}`),
        needsReason: !!spec.text,
        textLabel: spec.text
          ? t(
              `desk.${spec.text}For.${a}`,
              nextPayment ? { amount: formatPounds(nextPayment.amountPence), tranche: nextPayment.tranche } : {},
            )
          : '',
        paymentId: spec.carries === 'paymentId' ? nextPayment?.id : undefined,
        reportId: spec.carries === 'reportId' ? waiting?.id : undefined,
        needsAmount: !!spec.amount,
        defaultAmount: defaultAmounts[a] ?? '',
        amountLabel: spec.amount ? t(`desk.amountFor.${a}`) : '',
        primary: spec.primary,
        warning: spec.warning,
        proposals: spec.adoptsProposals ? proposals : [],
        error: fieldErrors[`${a}:text`],
        amountError: fieldErrors[`${a}:amount`],
        needsDate: !!spec.date,
        dateLabel: spec.date ? t(`desk.dateFor.${a}`) : '',
        defaultDate: spec.date && app.offerExpiresAt ? londonDate(new Date(app.offerExpiresAt)) : '',
        dateError: fieldErrors[`${a}:date`],
      };
    });
}

/** The machine's own rule for what is left to return, read from the application as the desk sees it. */
function underspendOf(app: ApplicationView): number {
  return unresolvedUnderspend({
    requestedPence: app.requestedPence ?? 0,
    awardedPence: app.awardedPence,
    conditions: [],
    returnToState: null,
    // A waived underspend offers no return to record, so the form never asks.
    underspendWaived: false,
    disbursedPence: app.disbursedPence,
    returnedPence: app.returnedPence,
    payments: [],
    reports: app.reports.map((r) => ({
      id: r.id,
      kind: r.kind as ReportKind,
      state: r.state as ReportState,
      spendToDatePence: r.spendToDatePence,
    })),
  });
}
