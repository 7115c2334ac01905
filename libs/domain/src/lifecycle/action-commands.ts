import { FieldProblem } from '../errors/use-case-error';
import { CONDITION_BLOCKS } from '../assessment/rubric';
import { LIFECYCLE_ACTIONS, LifecycleAction } from './lifecycle-action';

/** The kinds of value a command field holds. */
export type CommandFieldType = 'text' | 'pence' | 'uuid' | 'true' | 'date' | 'texts' | 'conditionDetails';

export interface CommandField {
  type: CommandFieldType;
  /** The machine refuses the action without it (422 invalid_command); the API checks only its shape. */
  required: boolean;
  /** text: most characters; texts and conditionDetails: most items. */
  max?: number;
  /** pence: the least amount (0 or 1). */
  min?: 0 | 1;
  description: string;
}

/** How the desk offers the action: which field its text, amount or date input fills, and the button's look. */
export interface DeskHints {
  text?: 'reason' | 'message' | 'reference' | 'comments';
  amount?: 'amountPence' | 'clawbackPence';
  date?: 'offerExpiresOn';
  /** The id the form carries for the item acted on (the next payment, the report waiting for review). */
  carries?: 'paymentId' | 'reportId';
  /** The decider may adopt the assessment's proposed conditions. */
  adoptsProposals?: boolean;
  primary?: boolean;
  warning?: boolean;
}

export interface ActionCommandSchema {
  summary: string;
  fields: Readonly<Record<string, CommandField>>;
  /** Absent: the desk does not offer this action (the API and the portal do). */
  desk?: DeskHints;
}

export const MAX_TEXT = 5000;
/** The largest amount of pence the API accepts (£1bn). */
export const MAX_PENCE = 100_000_000_000;

const text = (required: boolean, description: string, max = MAX_TEXT): CommandField => ({
  type: 'text',
  required,
  max,
  description,
});
const pence = (required: boolean, min: 0 | 1, description: string): CommandField => ({
  type: 'pence',
  required,
  min,
  description,
});
const uuid = (description: string): CommandField => ({ type: 'uuid', required: true, description });

const REASON_REQUIRED = { reason: text(true, 'Why: the applicant reads it') };
const REASON_OPTIONAL = { reason: text(false, 'Why, if you wish to say') };

/** Every action's command: its fields, which are required, their limits, and how the desk offers it. */
export const ACTION_COMMANDS: Readonly<Record<LifecycleAction, ActionCommandSchema>> = {
  submit: { summary: 'Submit a complete draft', fields: {} },
  discard: { summary: 'Discard a draft', fields: {} },
  'start-screening': { summary: 'Start screening a submission', fields: {}, desk: { primary: true } },
  withdraw: { summary: 'Withdraw the application', fields: REASON_OPTIONAL },
  'confirm-eligible': { summary: 'Confirm eligibility', fields: {}, desk: { primary: true } },
  'mark-ineligible': {
    summary: 'Mark ineligible',
    fields: REASON_REQUIRED,
    desk: { text: 'reason', warning: true },
  },
  'request-information': {
    summary: 'Ask the applicant for information',
    fields: { message: text(true, 'The questions for the applicant') },
    desk: { text: 'message' },
  },
  'provide-information': {
    summary: 'Answer a request for information',
    fields: { message: text(true, 'The answer') },
  },
  'complete-assessment': { summary: 'Complete the risk assessment', fields: {}, desk: { primary: true } },
  approve: {
    summary: 'Approve and offer an award',
    fields: {
      amountPence: pence(true, 1, 'The amount awarded, in pence'),
      conditions: {
        type: 'texts',
        required: false,
        max: 20,
        description: 'Conditions to meet before the grant becomes active (each up to 1,000 characters)',
      },
      conditionDetails: {
        type: 'conditionDetails',
        required: false,
        max: 20,
        description: 'Conditions with what they block, the evidence required and a due date',
      },
      ...REASON_OPTIONAL,
    },
    desk: { amount: 'amountPence', adoptsProposals: true, primary: true },
  },
  reject: { summary: 'Reject', fields: REASON_REQUIRED, desk: { text: 'reason', warning: true } },
  'accept-offer': {
    summary: 'Accept the offer, signed',
    fields: {
      signatoryName: text(true, 'Who signs for the organisation', 200),
      signatoryRole: text(true, 'Their role in the organisation, e.g. "Chair of trustees"', 200),
      acceptsTerms: { type: 'true', required: true, description: 'The signatory agrees to the offer’s terms' },
    },
  },
  'decline-offer': { summary: 'Decline the offer', fields: REASON_OPTIONAL },
  'expire-offer': { summary: 'Expire the offer (the system, when it lapses)', fields: {} },
  'withdraw-offer': {
    summary: 'Withdraw the offer',
    fields: REASON_REQUIRED,
    desk: { text: 'reason', warning: true },
  },
  'extend-offer': {
    summary: 'Extend the offer’s expiry date, before it lapses',
    fields: {
      offerExpiresOn: {
        type: 'date',
        required: true,
        description: 'The offer’s new last day (YYYY-MM-DD, London), after the current one',
      },
      reason: text(true, 'Why the offer is extended: the applicant reads it'),
    },
    desk: { date: 'offerExpiresOn', text: 'reason' },
  },
  'confirm-conditions': { summary: 'Confirm the conditions are met', fields: {}, desk: { primary: true } },
  // Finance pays; the officer records the payment with its reference, which posts the disbursement.
  'request-payment-release': {
    summary: 'Ask a second officer to confirm a payment (funds that need two officers)',
    fields: { paymentId: uuid('Which payment') },
    desk: { carries: 'paymentId' },
  },
  'release-payment': {
    summary: 'Record a payment as released (confirming another officer’s request where the fund needs two)',
    fields: { paymentId: uuid('Which payment'), reference: text(true, 'The finance reference', 100) },
    desk: { text: 'reference', carries: 'paymentId', primary: true },
  },
  'submit-report': {
    summary: 'Submit a monitoring report',
    fields: {
      reportId: uuid('Which report'),
      narrative: text(false, 'What happened (a report with a form takes it from the form)'),
      spendToDatePence: pence(false, 0, 'Spend to date, in pence (a report with a form takes it from the form)'),
    },
  },
  // Reports are reviewed on the report: the desk's forms carry its id.
  'accept-report': {
    summary: 'Accept a submitted report',
    fields: { reportId: uuid('Which report') },
    desk: { carries: 'reportId', primary: true },
  },
  'return-report': {
    summary: 'Return a report for changes',
    fields: { reportId: uuid('Which report'), comments: text(true, 'What to change') },
    desk: { text: 'comments', carries: 'reportId' },
  },
  suspend: { summary: 'Suspend the grant', fields: REASON_REQUIRED, desk: { text: 'reason', warning: true } },
  reinstate: { summary: 'Reinstate a suspended grant', fields: {}, desk: {} },
  terminate: {
    summary: 'Terminate the grant',
    fields: { ...REASON_REQUIRED, clawbackPence: pence(false, 0, 'Money to be paid back, in pence') },
    desk: { text: 'reason', amount: 'clawbackPence', warning: true },
  },
  // Close-out: an underspend comes back (amount and reference) or is waived, then the grant closes.
  'record-return': {
    summary: 'Record an underspend returned',
    fields: {
      amountPence: pence(true, 1, 'The amount returned, in pence'),
      reference: text(true, 'The finance reference', 100),
    },
    desk: { amount: 'amountPence', text: 'reference' },
  },
  'waive-underspend': { summary: 'Waive the underspend', fields: REASON_REQUIRED, desk: { text: 'reason' } },
  close: { summary: 'Close the grant', fields: {}, desk: { primary: true } },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const isText = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;

/** What is wrong with one field's shape (not its presence: the machine judges that). */
function fieldProblems(name: string, f: CommandField, value: unknown): FieldProblem[] {
  const problem = (message: string, field = name) => [{ field, message }];
  switch (f.type) {
    case 'text':
      return isText(value, 1, f.max ?? MAX_TEXT) ? [] : problem(`${name} must be text of 1 to ${f.max} characters`);
    case 'pence':
      return Number.isInteger(value) && (value as number) >= (f.min ?? 0) && (value as number) <= MAX_PENCE
        ? []
        : problem(`${name} must be a whole number of pence, ${f.min === 1 ? 'greater than 0' : '0 or more'}`);
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? [] : problem(`${name} must be a UUID`);
    case 'true':
      return typeof value === 'boolean' ? [] : problem(`${name} must be a boolean`);
    case 'date':
      return isIsoDate(value) ? [] : problem(`${name} must be a date as YYYY-MM-DD`);
    case 'texts':
      return Array.isArray(value) && value.length <= (f.max ?? 20) && value.every((t) => isText(t, 1, 1000))
        ? []
        : problem(`${name} must be a list of at most ${f.max} texts of 1 to 1,000 characters`);
    case 'conditionDetails':
      if (!Array.isArray(value) || value.length > (f.max ?? 20))
        return problem(`${name} must be a list of at most ${f.max} conditions`);
      return value.flatMap((c, i) => conditionDetailProblems(`${name}.${i}`, c));
  }
}

const CONDITION_DETAIL: Record<string, (v: unknown) => boolean> = {
  text: (v) => isText(v, 1, 1000),
  evidenceRequired: (v) => isText(v, 0, 1000),
  blocks: (v) => (CONDITION_BLOCKS as readonly unknown[]).includes(v),
  dueOn: isIsoDate,
  source: (v) => isText(v, 1, 100),
};

function conditionDetailProblems(prefix: string, c: unknown): FieldProblem[] {
  if (typeof c !== 'object' || c === null || Array.isArray(c))
    return [{ field: prefix, message: 'each condition must be an object' }];
  const record = c as Record<string, unknown>;
  const problems: FieldProblem[] = Object.keys(record)
    .filter((k) => !(k in CONDITION_DETAIL))
    .map((k) => ({ field: `${prefix}.${k}`, message: `property ${k} should not exist` }));
  if (record.text === undefined) problems.push({ field: `${prefix}.text`, message: 'text is required' });
  for (const [k, ok] of Object.entries(CONDITION_DETAIL))
    if (record[k] !== undefined && !ok(record[k]))
      problems.push({ field: `${prefix}.${k}`, message: `${k} is not valid` });
  return problems;
}

/**
 * What is wrong with a body sent for this action: unknown fields, and fields of the wrong type or
 * beyond their limits. Presence of required fields is the machine's to judge (422, not 400).
 */
export function actionCommandProblems(action: LifecycleAction, body: unknown): FieldProblem[] {
  if (body === undefined || body === null) return [];
  if (typeof body !== 'object' || Array.isArray(body)) return [{ field: 'body', message: 'must be a JSON object' }];
  const { fields } = ACTION_COMMANDS[action];
  return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) => {
    const f = fields[name];
    if (!f) return [{ field: name, message: `property ${name} should not exist` }];
    return value === undefined ? [] : fieldProblems(name, f, value);
  });
}

/** The actions the desk offers, with their hints, in lifecycle order. */
export function deskActions(): { action: LifecycleAction; desk: DeskHints }[] {
  return LIFECYCLE_ACTIONS.flatMap((action) => {
    const desk = ACTION_COMMANDS[action].desk;
    return desk ? [{ action, desk }] : [];
  });
}
