import { ApplicationView } from '@sg/applications';
import { Messages } from '../messages';
import {
  adoptedConditions,
  DESK_ACTIONS,
  deskActionCommand,
  deskActionForms,
  deskActionRefusal,
} from './desk-actions.view';

const messages = new Messages();

function app(over: Partial<ApplicationView> = {}): ApplicationView {
  return {
    id: 'a1',
    reference: 'SG-0007',
    fundId: 'f1',
    organisation: { id: 'o1', name: 'Stockton Circle' },
    state: 'awaiting_decision',
    version: 5,
    allowedActions: [],
    title: 'Lunch club',
    summary: '',
    requestedPence: 250_000,
    areaCode: 'E06000004',
    activityRiskTier: 'low',
    awardedPence: null,
    conditions: [],
    disbursedPence: 0,
    returnedPence: 0,
    underspendWaived: false,
    offerExpiresAt: null,
    submittedAt: '2026-11-02T10:00:00.000Z',
    decidedAt: null,
    acceptedAt: null,
    form: { key: 'f', version: 1 },
    answers: {},
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    payments: [],
    reports: [],
    ...over,
  };
}

const proposals = [
  { text: 'Adopt a safeguarding policy', evidence: 'The policy', source: 'area:safeguarding' },
  { text: 'Name a lead', evidence: 'A name', blocks: 'first_payment' as const, source: 'area:governance' },
];

describe('the desk’s action commands', () => {
  it('offers the actions whose command schema has desk hints, and not the applicant’s', () => {
    expect(DESK_ACTIONS['extend-offer']).toEqual({ date: 'offerExpiresOn', text: 'reason' });
    expect(DESK_ACTIONS.approve).toEqual({ amount: 'amountPence', adoptsProposals: true, primary: true });
    expect(DESK_ACTIONS.submit).toBeUndefined();
  });

  it('carries the reason, the amount in pence and the day', () => {
    expect(
      deskActionCommand(
        'extend-offer',
        DESK_ACTIONS['extend-offer']!,
        { text: 'Trustees meet late', date: ' 2027-03-31 ' },
        messages,
      ),
    ).toEqual({ command: { source: 'portal', reason: 'Trustees meet late', offerExpiresOn: '2027-03-31' } });
    expect(
      deskActionCommand('terminate', DESK_ACTIONS.terminate!, { text: 'Closed down', amount: '1,200.50' }, messages),
    ).toEqual({ command: { source: 'portal', reason: 'Closed down', clawbackPence: 120_050 } });
    expect(
      deskActionCommand(
        'release-payment',
        DESK_ACTIONS['release-payment']!,
        { paymentId: 'p1', text: 'BACS-1' },
        messages,
      ),
    ).toEqual({ command: { source: 'portal', paymentId: 'p1', reference: 'BACS-1' } });
  });

  it('refuses a blank reason, an amount that is not pounds and a date that is not a day, on the field', () => {
    expect(deskActionCommand('reject', DESK_ACTIONS.reject!, { text: '  ' }, messages)).toEqual({
      errors: {
        errors: [{ text: 'Write the reason: the applicant will read it', href: 'reject-text' }],
        fieldErrors: { 'reject:text': 'Write the reason: the applicant will read it' },
      },
    });
    expect(deskActionCommand('approve', DESK_ACTIONS.approve!, { amount: 'lots' }, messages)).toEqual({
      errors: {
        errors: [{ text: 'Enter the amount to award in pounds, like 4000 or 4000.50', href: 'approve-amount' }],
        fieldErrors: { 'approve:amount': 'Enter the amount to award in pounds, like 4000 or 4000.50' },
      },
    });
    expect(
      deskActionCommand('extend-offer', DESK_ACTIONS['extend-offer']!, { text: 'Why', date: '31/03/2027' }, messages),
    ).toEqual({
      errors: {
        errors: [{ text: 'Enter the date as YYYY-MM-DD, for example 2027-03-31', href: 'extend-offer-date' }],
        fieldErrors: { 'extend-offer:date': 'Enter the date as YYYY-MM-DD, for example 2027-03-31' },
      },
    });
  });

  it('adopts the ticked proposals only, ignoring indexes that name none', () => {
    expect(adoptedConditions({ adopt: ['1', '7', 'x'] }, proposals)).toEqual([
      { text: 'Name a lead', evidenceRequired: 'A name', blocks: 'first_payment', source: 'area:governance' },
    ]);
    expect(adoptedConditions({ adopt: '0' }, proposals)).toEqual([
      {
        text: 'Adopt a safeguarding policy',
        evidenceRequired: 'The policy',
        blocks: undefined,
        source: 'area:safeguarding',
      },
    ]);
    expect(adoptedConditions({}, proposals)).toEqual([]);
  });

  it('puts a refusal on the field the machine names, else on the form’s first field', () => {
    expect(deskActionRefusal('approve', DESK_ACTIONS.approve!, 'amountPence', 'Too much')).toEqual({
      errors: [{ text: 'Too much', href: 'approve-amount' }],
      fieldErrors: { 'approve:amount': 'Too much' },
    });
    expect(deskActionRefusal('extend-offer', DESK_ACTIONS['extend-offer']!, 'offerExpiresOn', 'Too late')).toEqual({
      errors: [{ text: 'Too late', href: 'extend-offer-date' }],
      fieldErrors: { 'extend-offer:date': 'Too late' },
    });
    expect(deskActionRefusal('reject', DESK_ACTIONS.reject!, '', 'Declared a conflict')).toEqual({
      errors: [{ text: 'Declared a conflict', href: 'reject-text' }],
      fieldErrors: { 'reject:text': 'Declared a conflict' },
    });
    expect(deskActionRefusal('close', DESK_ACTIONS.close!, '', 'Reports outstanding')).toEqual({
      errors: [{ text: 'Reports outstanding', href: 'main-content' }],
      fieldErrors: { 'close:text': 'Reports outstanding' },
    });
  });
});

describe('the desk’s action forms', () => {
  const base = {
    paymentId: undefined,
    reportId: undefined,
    needsAmount: false,
    defaultAmount: '',
    amountLabel: '',
    primary: undefined,
    warning: undefined,
    proposals: [],
    error: undefined,
    amountError: undefined,
    needsDate: false,
    dateLabel: '',
    defaultDate: '',
    dateError: undefined,
  };

  it('offers approve with the requested amount and the proposals, and reject with its feedback box', () => {
    const forms = deskActionForms(
      app({ allowedActions: ['approve', 'reject', 'submit'] }),
      proposals,
      { 'reject:text': 'Write the reason' },
      messages,
    );
    expect(forms).toEqual([
      {
        ...base,
        name: 'approve',
        label: 'Approve',
        needsReason: false,
        textLabel: '',
        needsAmount: true,
        defaultAmount: '2500',
        amountLabel: 'Amount to award',
        primary: true,
        proposals,
      },
      {
        ...base,
        name: 'reject',
        label: 'Reject',
        needsReason: true,
        textLabel: 'Feedback for the applicant',
        warning: true,
        error: 'Write the reason',
      },
    ]);
  });

  it('offers to extend an offer from its current last day, in London', () => {
    const [form] = deskActionForms(
      app({ state: 'offered', allowedActions: ['extend-offer'], offerExpiresAt: '2027-01-31T23:59:59.000Z' }),
      [],
      { 'extend-offer:date': 'Too late' },
      messages,
    );
    expect(form).toEqual({
      ...base,
      name: 'extend-offer',
      label: 'Extend the offer',
      needsReason: true,
      textLabel: 'Why is the offer extended? The applicant will see this.',
      needsDate: true,
      dateLabel: 'New last day to accept the offer (YYYY-MM-DD)',
      defaultDate: '2027-01-31',
      dateError: 'Too late',
    });
  });

  it('records the earliest scheduled payment, naming its tranche and amount', () => {
    const payment = (id: string, tranche: number, state: string) => ({
      id,
      tranche,
      amountPence: 125_000,
      state,
      trigger: 'on_acceptance',
      dueOn: null,
      paidAt: null,
      reference: null,
    });
    const [form] = deskActionForms(
      app({
        state: 'active',
        allowedActions: ['release-payment'],
        payments: [payment('p1', 1, 'paid'), payment('p2', 2, 'scheduled'), payment('p3', 3, 'scheduled')],
      }),
      [],
      {},
      messages,
    );
    expect(form).toEqual({
      ...base,
      name: 'release-payment',
      label: 'Record the payment as made',
      needsReason: true,
      textLabel: 'Finance reference for payment 2 of £1,250.00 (for example the BACS reference)',
      paymentId: 'p2',
      primary: true,
    });
  });

  it('suggests the final report’s unspent money as the return, and no clawback on termination', () => {
    const forms = deskActionForms(
      app({
        state: 'active',
        allowedActions: ['record-return', 'terminate'],
        awardedPence: 250_000,
        disbursedPence: 250_000,
        reports: [
          {
            id: 'r1',
            kind: 'final',
            dueOn: '2027-06-01',
            state: 'accepted',
            narrative: null,
            spendToDatePence: 240_050,
            comments: null,
            submittedAt: null,
          },
        ],
      }),
      [],
      {},
      messages,
    );
    expect(forms.map((f) => [f.name, f.defaultAmount, f.amountLabel])).toEqual([
      ['record-return', '99.50', 'Amount returned'],
      ['terminate', '0', 'Amount to claw back (0 for none)'],
    ]);
  });
});
