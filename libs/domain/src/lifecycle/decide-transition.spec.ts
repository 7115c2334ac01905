import { ACTOR_ROLES, ActorRole } from './actor-role';
import { APPLICATION_STATES, ApplicationState, TERMINAL_STATES } from './application-state';
import { allowedActions, decideTransition } from './decide-transition';
import { LIFECYCLE_ACTIONS, LifecycleAction, LifecycleCommand } from './lifecycle-action';
import { generousContext } from './test-fixtures';
import { TransitionContext } from './transition-types';

/**
 * docs/domain.md §3 written out independently of the transition table: every allowed
 * (state, action, role) triple and where it leads. Everything not listed must be refused.
 */
const ASSESSORS: ActorRole[] = ['officer', 'partner_officer'];
const DECIDERS: ActorRole[] = ['officer', 'panel_member'];
const EXPECTED: [ApplicationState, LifecycleAction, ActorRole[], ApplicationState][] = [
  ['draft', 'submit', ['applicant'], 'submitted'],
  ['draft', 'discard', ['applicant'], 'discarded'],
  ['submitted', 'start-screening', ASSESSORS, 'screening'],
  ['submitted', 'withdraw', ['applicant'], 'withdrawn'],
  ['screening', 'confirm-eligible', ASSESSORS, 'risk_assessment'],
  ['screening', 'mark-ineligible', ASSESSORS, 'ineligible'],
  ['screening', 'request-information', ASSESSORS, 'information_requested'],
  ['screening', 'withdraw', ['applicant'], 'withdrawn'],
  ['information_requested', 'provide-information', ['applicant'], 'risk_assessment'],
  ['information_requested', 'withdraw', ['applicant'], 'withdrawn'],
  ['risk_assessment', 'complete-assessment', ASSESSORS, 'awaiting_decision'],
  ['risk_assessment', 'request-information', ASSESSORS, 'information_requested'],
  ['risk_assessment', 'withdraw', ['applicant'], 'withdrawn'],
  ['awaiting_decision', 'approve', DECIDERS, 'offered'],
  ['awaiting_decision', 'reject', DECIDERS, 'rejected'],
  ['awaiting_decision', 'withdraw', ['applicant'], 'withdrawn'],
  ['offered', 'accept-offer', ['applicant'], 'active'],
  ['offered', 'decline-offer', ['applicant'], 'declined'],
  ['offered', 'expire-offer', ['system'], 'offer_expired'],
  ['offered', 'withdraw-offer', ['officer'], 'withdrawn'],
  ['offered', 'extend-offer', ['officer'], 'offered'],
  ['conditions_pending', 'confirm-conditions', ['officer'], 'active'],
  ['conditions_pending', 'terminate', ['officer'], 'terminated'],
  ['active', 'request-payment-release', ['officer'], 'active'],
  ['active', 'release-payment', ['officer'], 'active'],
  ['active', 'submit-report', ['applicant'], 'active'],
  ['active', 'accept-report', ['officer'], 'closing'],
  ['active', 'return-report', ['officer'], 'active'],
  ['active', 'suspend', ['officer'], 'suspended'],
  ['active', 'terminate', ['officer'], 'terminated'],
  ['suspended', 'reinstate', ['officer'], 'active'],
  ['suspended', 'terminate', ['officer'], 'terminated'],
  ['closing', 'record-return', ['officer'], 'closing'],
  ['closing', 'waive-underspend', ['officer'], 'closing'],
  ['closing', 'close', ['officer'], 'closed'],
];

/** A valid command for each action, so that an allowed triple is allowed on its merits. */
const VALID_COMMAND: Partial<Record<LifecycleAction, LifecycleCommand>> = {
  'mark-ineligible': { reason: 'Not in Cleveland' },
  'request-information': { message: 'Who is your safeguarding lead?' },
  'provide-information': { message: 'Our chair, trained in 2025' },
  approve: { amountPence: 300_000, conditions: [] },
  reject: { reason: 'Outside the fund priorities' },
  'accept-offer': { signatoryName: 'A. Khan', signatoryRole: 'Chair of trustees', acceptsTerms: true },
  'withdraw-offer': { reason: 'Offer made in error' },
  'extend-offer': { offerExpiresOn: '2027-03-31', reason: 'The trustees meet in March' },
  'request-payment-release': { paymentId: 'p1' },
  'release-payment': { paymentId: 'p1', reference: 'BACS-1' },
  'submit-report': { reportId: 'r-due', narrative: 'Sessions ran', spendToDatePence: 100_000 },
  'accept-report': { reportId: 'r-final' },
  'return-report': { reportId: 'r-final', comments: 'Add the referral counts' },
  suspend: { reason: 'Safeguarding concern under review' },
  terminate: { reason: 'Activity stopped', clawbackPence: 10_000 },
  'record-return': { amountPence: 50_000, reference: 'REFUND-1' },
  'waive-underspend': { reason: 'Spent on agreed extra sessions' },
};

/** The context each allowed triple needs beyond the generous default. */
function contextFor(state: ApplicationState, action: LifecycleAction): TransitionContext {
  if (state === 'closing') {
    // Underspend: £4,000 paid, final report accepted at £3,500 spent.
    const reports = [{ id: 'r-final', kind: 'final' as const, state: 'accepted' as const, spendToDatePence: 350_000 }];
    if (action === 'close') return generousContext({ reports, returnedPence: 50_000 });
    return generousContext({ reports });
  }
  // A request for a second officer is for a fund that needs one.
  if (action === 'request-payment-release')
    return { ...generousContext(), fund: { ...generousContext().fund, paymentReleaseNeedsSecondOfficer: true } };
  return generousContext();
}

describe('the lifecycle machine, exhaustively', () => {
  const triples = APPLICATION_STATES.flatMap((state) =>
    LIFECYCLE_ACTIONS.flatMap((action) => ACTOR_ROLES.map((role) => [state, action, role] as const)),
  );

  it('has the states, actions and roles of docs/domain.md §3', () => {
    expect(APPLICATION_STATES).toHaveLength(19);
    expect(triples).toHaveLength(19 * LIFECYCLE_ACTIONS.length * ACTOR_ROLES.length);
  });

  it.each(triples)('%s · %s · %s', (state, action, role) => {
    const expected = EXPECTED.find(([s, a]) => s === state && a === action);
    const result = decideTransition({
      state,
      role,
      action,
      context: contextFor(state, action),
      command: VALID_COMMAND[action] ?? {},
    });
    if (!expected) {
      expect(result).toMatchObject({ ok: false, code: 'not_allowed_in_state' });
    } else if (!expected[2].includes(role)) {
      expect(result).toMatchObject({ ok: false, code: 'role_not_permitted' });
    } else {
      expect(result).toMatchObject({ ok: true, from: state, to: expected[3] });
      if (result.ok) expect(result.event).toMatchObject({ action, from: state, to: expected[3] });
    }
  });

  it('refuses an unknown action by name', () => {
    expect(
      decideTransition({ state: 'draft', role: 'applicant', action: 'bribe', context: generousContext() }),
    ).toMatchObject({
      ok: false,
      code: 'unknown_action',
    });
  });

  it('offers no action in a terminal state and lists exactly the allowed actions elsewhere', () => {
    for (const state of TERMINAL_STATES) {
      for (const role of ACTOR_ROLES) expect(allowedActions(state, role, generousContext())).toEqual([]);
    }
    expect(allowedActions('screening', 'officer', generousContext()).sort()).toEqual(
      ['confirm-eligible', 'mark-ineligible', 'request-information'].sort(),
    );
    expect(allowedActions('awaiting_decision', 'applicant', generousContext())).toEqual(['withdraw']);
    expect(allowedActions('awaiting_decision', 'funder_viewer', generousContext())).toEqual([]);
  });
});

describe('the lifecycle machine, rule by rule', () => {
  const approve = (amountPence: number, money: Partial<NonNullable<TransitionContext['money']>> = {}) => {
    const ctx = generousContext({ awardedPence: null, disbursedPence: 0 });
    return decideTransition({
      state: 'awaiting_decision',
      role: 'panel_member',
      action: 'approve',
      context: { ...ctx, money: { ...ctx.money!, ...money } },
      command: { amountPence, conditions: ['  Name a safeguarding lead  ', ''] },
    });
  };

  it('approve commits the amount, records trimmed conditions and tells the applicant', () => {
    const r = approve(300_000);
    expect(r).toMatchObject({
      ok: true,
      to: 'offered',
      ledger: [{ kind: 'commitment', amountPence: 300_000 }],
      patch: { awardedPence: 300_000, conditions: ['Name a safeguarding lead'] },
      notifications: [{ template: 'award-offered', audience: 'applicant' }],
    });
  });

  it('approve refuses more than requested, more than the fund has, and more than the organisation cap', () => {
    expect(approve(500_001)).toMatchObject({ ok: false, code: 'exceeds_requested_amount', field: 'amountPence' });
    const nearlyFull = {
      allocatedPence: 3_000_000,
      feePence: 450_000,
      committedPence: 2_300_000,
      disbursedPence: 0,
      returnedPence: 0,
    };
    expect(approve(250_001, { balances: nearlyFull })).toMatchObject({ ok: false, code: 'exceeds_fund_available' });
    expect(approve(250_000, { balances: nearlyFull })).toMatchObject({ ok: true });
    // Returned money is available again.
    expect(
      approve(260_000, {
        balances: { ...nearlyFull, disbursedPence: 100_000, committedPence: 2_200_000, returnedPence: 10_000 },
      }),
    ).toMatchObject({ ok: true });
    expect(approve(100_001, { organisationAwardedPence: 400_000 })).toMatchObject({
      ok: false,
      code: 'exceeds_organisation_cap',
    });
    expect(approve(100_000, { organisationAwardedPence: 400_000 })).toMatchObject({ ok: true });
  });

  it('approve refuses amounts that are not whole positive pence, and refuses without locked balances', () => {
    for (const bad of [0, -5, 12.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
      expect(approve(bad)).toMatchObject({ ok: false, code: 'invalid_command', field: 'amountPence' });
    }
    const ctx = generousContext({ awardedPence: null });
    delete ctx.money;
    expect(
      decideTransition({
        state: 'awaiting_decision',
        role: 'officer',
        action: 'approve',
        context: ctx,
        command: { amountPence: 1 },
      }),
    ).toMatchObject({ ok: false, code: 'money_facts_missing' });
  });

  it('reasons are required where a person must be told why', () => {
    for (const [state, action] of [
      ['screening', 'mark-ineligible'],
      ['awaiting_decision', 'reject'],
      ['active', 'suspend'],
    ] as const) {
      expect(
        decideTransition({ state, role: 'officer', action, context: generousContext(), command: { reason: '   ' } }),
      ).toMatchObject({
        ok: false,
        code: 'invalid_command',
        field: 'reason',
      });
    }
  });

  it('information requests return to the state they came from', () => {
    const asked = decideTransition({
      state: 'screening',
      role: 'partner_officer',
      action: 'request-information',
      context: generousContext(),
      command: { message: 'Which areas?' },
    });
    expect(asked).toMatchObject({ ok: true, to: 'information_requested', patch: { returnToState: 'screening' } });
    const answered = decideTransition({
      state: 'information_requested',
      role: 'applicant',
      action: 'provide-information',
      context: generousContext({ returnToState: 'screening' }),
      command: { message: 'Stockton and Hartlepool' },
    });
    expect(answered).toMatchObject({ ok: true, to: 'screening', patch: { returnToState: null } });
  });

  it('tracked conditions: an unmet offer-acceptance condition refuses acceptance; open ones hold confirm-conditions', () => {
    const blocked = decideTransition({
      state: 'offered',
      role: 'applicant',
      action: 'accept-offer',
      context: generousContext({ offerAcceptanceBlockers: ['Two signatories for payments'] }),
    });
    expect(blocked).toEqual({
      ok: false,
      code: 'conditions_unmet',
      message: 'The offer can be accepted once these conditions are met: Two signatories for payments',
    });
    const open = generousContext({ conditions: ['Name a safeguarding lead'], conditionsTracked: true });
    expect(
      decideTransition({ state: 'conditions_pending', role: 'officer', action: 'confirm-conditions', context: open }),
    ).toMatchObject({ ok: false, code: 'conditions_unmet' });
    expect(allowedActions('conditions_pending', 'officer', open)).toEqual(['terminate']);
    const allMet = generousContext({ conditions: [], conditionsTracked: true, payments: [] });
    expect(
      decideTransition({ state: 'conditions_pending', role: 'officer', action: 'confirm-conditions', context: allMet }),
    ).toMatchObject({ ok: true, to: 'active' });
  });

  it('accepting an offer is signed: a name, a role and agreement to the terms, recorded with the source', () => {
    const accept = (command: LifecycleCommand) =>
      decideTransition({
        state: 'offered',
        role: 'applicant',
        action: 'accept-offer',
        context: generousContext(),
        command,
      });
    expect(accept({ signatoryRole: 'Chair', acceptsTerms: true })).toMatchObject({
      ok: false,
      code: 'invalid_command',
      field: 'signatoryName',
    });
    expect(accept({ signatoryName: 'A. Khan', acceptsTerms: true })).toMatchObject({
      ok: false,
      code: 'invalid_command',
      field: 'signatoryRole',
    });
    expect(accept({ signatoryName: 'A. Khan', signatoryRole: 'Chair' })).toMatchObject({
      ok: false,
      code: 'invalid_command',
      field: 'acceptsTerms',
    });
    expect(
      accept({ signatoryName: ' A. Khan ', signatoryRole: 'Chair', acceptsTerms: true, source: 'portal' }),
    ).toMatchObject({
      ok: true,
      event: { data: { signatoryName: 'A. Khan', signatoryRole: 'Chair', acceptsTerms: true, source: 'portal' } },
    });
  });

  it('accepting an offer with conditions waits for them; without, schedules payments and reports', () => {
    const signed = { signatoryName: 'A. Khan', signatoryRole: 'Chair', acceptsTerms: true };
    const withConditions = decideTransition({
      state: 'offered',
      role: 'applicant',
      action: 'accept-offer',
      context: generousContext({ conditions: ['Name a safeguarding lead'] }),
      command: signed,
    });
    expect(withConditions).toMatchObject({ ok: true, to: 'conditions_pending', payments: [] });
    const plain = decideTransition({
      state: 'offered',
      role: 'applicant',
      action: 'accept-offer',
      context: generousContext({ awardedPence: 333_333 }),
      command: signed,
    });
    expect(plain).toMatchObject({
      ok: true,
      to: 'active',
      payments: [
        { op: 'schedule', amountPence: 166_666, tranche: 1, trigger: 'on_acceptance' },
        { op: 'schedule', amountPence: 166_667, tranche: 2, trigger: 'on_interim_report_accepted' },
      ],
      reports: [{ op: 'schedule', kind: 'final', dueAfter: 'P12M' }],
    });
  });

  it('declining, expiring or withdrawing an offer releases the whole commitment', () => {
    for (const [action, role, command] of [
      ['decline-offer', 'applicant', {}],
      ['expire-offer', 'system', {}],
      ['withdraw-offer', 'officer', { reason: 'error' }],
    ] as const) {
      const r = decideTransition({
        state: 'offered',
        role,
        action,
        context: generousContext({ awardedPence: 420_000, disbursedPence: 0 }),
        command,
      });
      expect(r).toMatchObject({ ok: true, ledger: [{ kind: 'release', amountPence: 420_000 }] });
    }
  });

  it('releasing a payment disburses exactly that payment, once', () => {
    const ctx = generousContext({ disbursedPence: 0 });
    const r = decideTransition({
      state: 'active',
      role: 'officer',
      action: 'release-payment',
      context: ctx,
      command: { paymentId: 'p1', reference: 'BACS-9' },
    });
    expect(r).toMatchObject({
      ok: true,
      ledger: [{ kind: 'disbursement', amountPence: 400_000 }],
      payments: [{ op: 'mark-paid', paymentId: 'p1' }],
    });
    const paid = generousContext({ payments: [{ id: 'p1', amountPence: 400_000, state: 'paid' }] });
    expect(
      decideTransition({
        state: 'active',
        role: 'officer',
        action: 'release-payment',
        context: paid,
        command: { paymentId: 'p1', reference: 'x' },
      }),
    ).toMatchObject({
      ok: false,
      code: 'payment_not_scheduled',
    });
    expect(allowedActions('active', 'officer', paid)).not.toContain('release-payment');
  });

  it('refuses a payment while a condition holding up payments is open or a report is overdue', () => {
    const release = (overrides: Parameters<typeof generousContext>[0]) =>
      decideTransition({
        state: 'active',
        role: 'officer',
        action: 'release-payment',
        context: generousContext({ disbursedPence: 0, ...overrides }),
        command: { paymentId: 'p1', reference: 'BACS-9' },
      });
    expect(release({ paymentBlockers: ['Send the signed safeguarding policy'] })).toMatchObject({
      ok: false,
      code: 'conditions_unmet',
      message: expect.stringContaining('safeguarding policy'),
    });
    expect(release({ overdueReports: ['interim'] })).toMatchObject({
      ok: false,
      code: 'report_overdue',
      message: expect.stringContaining('interim report is overdue'),
    });
    expect(release({ paymentBlockers: [], overdueReports: [] })).toMatchObject({ ok: true });
    expect(allowedActions('active', 'officer', generousContext({ overdueReports: ['final'] }))).not.toContain(
      'release-payment',
    );
  });

  it('a tranche waiting for the interim report becomes payable when that report is accepted, not before', () => {
    const ctx = generousContext({
      payments: [
        { id: 'p1', amountPence: 200_000, state: 'paid' },
        { id: 'p2', amountPence: 200_000, state: 'pending' },
      ],
      reports: [{ id: 'i', kind: 'interim', state: 'submitted', spendToDatePence: 150_000 }],
    });
    expect(
      decideTransition({
        state: 'active',
        role: 'officer',
        action: 'release-payment',
        context: ctx,
        command: { paymentId: 'p2', reference: 'x' },
      }),
    ).toMatchObject({
      ok: false,
      code: 'payment_not_scheduled',
    });
    expect(
      decideTransition({
        state: 'active',
        role: 'officer',
        action: 'accept-report',
        context: ctx,
        command: { reportId: 'i' },
      }),
    ).toMatchObject({
      ok: true,
      payments: [{ op: 'make-due', trigger: 'on_interim_report_accepted' }],
    });
  });

  it('accepting an interim report keeps the grant active; the final one moves it to closing', () => {
    const ctx = generousContext({
      reports: [
        { id: 'i', kind: 'interim', state: 'submitted', spendToDatePence: 1 },
        { id: 'f', kind: 'final', state: 'submitted', spendToDatePence: 1 },
      ],
    });
    const accept = (reportId: string) =>
      decideTransition({
        state: 'active',
        role: 'officer',
        action: 'accept-report',
        context: ctx,
        command: { reportId },
      });
    expect(accept('i')).toMatchObject({ ok: true, to: 'active' });
    expect(accept('f')).toMatchObject({ ok: true, to: 'closing' });
    expect(accept('nope')).toMatchObject({ ok: false, code: 'report_not_found' });
  });

  it('an unresolved underspend blocks close until returned or waived', () => {
    const reports = [{ id: 'f', kind: 'final' as const, state: 'accepted' as const, spendToDatePence: 350_000 }];
    const underspent = generousContext({ reports });
    expect(decideTransition({ state: 'closing', role: 'officer', action: 'close', context: underspent })).toMatchObject(
      {
        ok: false,
        code: 'underspend_unresolved',
      },
    );
    expect(
      decideTransition({
        state: 'closing',
        role: 'officer',
        action: 'record-return',
        context: underspent,
        command: { amountPence: 50_001, reference: 'r' },
      }),
    ).toMatchObject({ ok: false, code: 'return_exceeds_underspend' });
    expect(
      decideTransition({
        state: 'closing',
        role: 'officer',
        action: 'close',
        context: generousContext({ reports, underspendWaived: true }),
      }),
    ).toMatchObject({
      ok: true,
      to: 'closed',
    });
  });

  it('closing releases what was promised but never paid', () => {
    const reports = [{ id: 'f', kind: 'final' as const, state: 'accepted' as const, spendToDatePence: 300_000 }];
    const r = decideTransition({
      state: 'closing',
      role: 'officer',
      action: 'close',
      context: generousContext({ reports, awardedPence: 500_000, disbursedPence: 300_000 }),
    });
    expect(r).toMatchObject({ ok: true, ledger: [{ kind: 'release', amountPence: 200_000 }] });
  });

  it('terminating releases the unpaid commitment and claws back no more than was paid', () => {
    const ctx = generousContext({ awardedPence: 500_000, disbursedPence: 250_000 });
    expect(
      decideTransition({
        state: 'active',
        role: 'officer',
        action: 'terminate',
        context: ctx,
        command: { reason: 'stopped', clawbackPence: 250_001 },
      }),
    ).toMatchObject({ ok: false, code: 'clawback_exceeds_disbursed' });
    expect(
      decideTransition({
        state: 'active',
        role: 'officer',
        action: 'terminate',
        context: ctx,
        command: { reason: 'stopped', clawbackPence: 100_000 },
      }),
    ).toMatchObject({
      ok: true,
      to: 'terminated',
      ledger: [
        { kind: 'release', amountPence: 250_000 },
        { kind: 'return', amountPence: 100_000 },
      ],
    });
  });
});
