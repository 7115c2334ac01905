import { decideTransition } from './decide-transition';
import { generousContext } from './test-fixtures';
import { ApplicationFacts } from './transition-types';

/** The gates the machine judges from facts the action path loads; a missing fact refuses nothing. */
describe('gates decided from facts', () => {
  const approve = (facts: Partial<ApplicationFacts>, amountPence = 300_000) =>
    decideTransition({
      state: 'awaiting_decision',
      role: 'panel_member',
      action: 'approve',
      context: generousContext(facts),
      command: { amountPence },
    });

  it('a decider who declared a conflict, or has not declared, is refused, before the assessor rule', () => {
    const assessor = { assessedIt: true, fundAllowsAssessorToDecide: false };
    expect(approve({ actorDeclaration: true, decider: assessor })).toMatchObject({
      ok: false,
      code: 'conflict_of_interest',
    });
    expect(approve({ actorDeclaration: null, decider: assessor })).toMatchObject({
      ok: false,
      code: 'declaration_required',
    });
    expect(approve({ actorDeclaration: false })).toMatchObject({ ok: true });
  });

  it('every judgement of an assessor needs their declaration of no conflict; claiming the work does not', () => {
    const act = (
      state: 'submitted' | 'screening' | 'risk_assessment',
      action: string,
      actorDeclaration: boolean | null,
    ) =>
      decideTransition({
        state,
        role: 'partner_officer',
        action,
        context: generousContext({ actorDeclaration }),
        command: { reason: 'Outside the area', message: 'Which venue?' },
      });
    for (const [state, action] of [
      ['screening', 'confirm-eligible'],
      ['screening', 'mark-ineligible'],
      ['risk_assessment', 'complete-assessment'],
    ] as const) {
      expect(act(state, action, null)).toMatchObject({ ok: false, code: 'declaration_required' });
      expect(act(state, action, true)).toMatchObject({ ok: false, code: 'conflict_of_interest' });
      expect(act(state, action, false)).toMatchObject({ ok: true });
    }
    expect(act('submitted', 'start-screening', null)).toMatchObject({ ok: true });
  });

  it('an offer past its expiry cannot be accepted, even before the scheduler lapses it', () => {
    const accept = (now: Date) =>
      decideTransition({
        state: 'offered',
        role: 'applicant',
        action: 'accept-offer',
        context: { ...generousContext({ offerExpiresAt: new Date('2027-03-01T23:59:59.999Z') }), now },
        command: { signatoryName: 'A. Khan', signatoryRole: 'Chair', acceptsTerms: true },
      });
    expect(accept(new Date('2027-03-02T00:00:00Z'))).toMatchObject({ ok: false, code: 'offer_lapsed' });
    expect(accept(new Date('2027-03-01T12:00:00Z'))).toMatchObject({ ok: true });
  });

  it("on a fund that needs two officers, a release confirms a different officer's request", () => {
    const fund = { ...generousContext().fund, paymentReleaseNeedsSecondOfficer: true };
    const run = (action: string, releaseRequest?: ApplicationFacts['releaseRequest'], twoOfficers = true) =>
      decideTransition({
        state: 'active',
        role: 'officer',
        action,
        context: { ...generousContext({ releaseRequest }), fund: twoOfficers ? fund : generousContext().fund },
        command: { paymentId: 'p1', reference: 'BACS-1' },
      });
    expect(run('release-payment', 'none')).toMatchObject({ ok: false, code: 'release_not_requested' });
    expect(run('release-payment', 'actor')).toMatchObject({ ok: false, code: 'second_officer_required' });
    expect(run('release-payment', 'another')).toMatchObject({ ok: true, ledger: [{ kind: 'disbursement' }] });
    expect(run('release-payment', 'none', false)).toMatchObject({ ok: true });
    const requested = run('request-payment-release');
    expect(requested).toMatchObject({ ok: true, to: 'active', ledger: [], payments: [] });
    expect(run('request-payment-release', undefined, false)).toMatchObject({
      ok: false,
      code: 'second_officer_not_needed',
    });
  });

  it('the assessor may not decide unless the fund allows it', () => {
    expect(
      approve({ actorDeclaration: false, decider: { assessedIt: true, fundAllowsAssessorToDecide: false } }),
    ).toMatchObject({ ok: false, code: 'approver_is_assessor' });
    expect(approve({ decider: { assessedIt: true, fundAllowsAssessorToDecide: true } })).toMatchObject({ ok: true });
    expect(approve({})).toMatchObject({ ok: true });
  });

  it("the command's own refusals come before the decision's rules", () => {
    expect(
      approve({ actorDeclaration: true, decider: { assessedIt: false, fundAllowsAssessorToDecide: false } }, 0),
    ).toMatchObject({ ok: false, code: 'invalid_command' });
  });

  it('approve says what to write: the money, the stamps, the offer expiry and the conditions', () => {
    expect(approve({})).toMatchObject({
      writes: { stamps: ['decided_at'], offerExpiry: 'fund-offer-validity', records: ['award-conditions'] },
    });
  });

  it('an assessment not scored or not countersigned cannot be completed', () => {
    const complete = (assessmentReadiness?: ApplicationFacts['assessmentReadiness']) =>
      decideTransition({
        state: 'risk_assessment',
        role: 'officer',
        action: 'complete-assessment',
        context: generousContext({ assessmentReadiness }),
      });
    expect(complete('not_scored')).toMatchObject({
      code: 'assessment_missing',
      problems: [{ field: 'assessment', message: 'not scored yet' }],
    });
    expect(complete('not_countersigned')).toMatchObject({ code: 'countersignature_required' });
    expect(complete('ready')).toMatchObject({ ok: true });
    expect(complete(undefined)).toMatchObject({ ok: true });
  });

  it('an incomplete application or report is refused with every problem listed', () => {
    const problems = [{ field: 'answers.project_summary', message: 'Answer this question' }];
    expect(
      decideTransition({
        state: 'draft',
        role: 'applicant',
        action: 'submit',
        context: generousContext({ submissionProblems: problems }),
      }),
    ).toMatchObject({ ok: false, code: 'application_incomplete', problems });
    const report = (reportForm: ApplicationFacts['reportForm']) =>
      decideTransition({
        state: 'active',
        role: 'applicant',
        action: 'submit-report',
        context: generousContext({ reportForm }),
        command: { reportId: 'r-due' },
      });
    expect(report({ reportId: 'r-due', problems })).toMatchObject({ code: 'report_incomplete', problems });
    expect(
      report({ reportId: 'r-due', problems: [], narrative: 'Sessions ran', spendToDatePence: 1_000 }),
    ).toMatchObject({ ok: true, reports: [{ op: 'submit', narrative: 'Sessions ran', spendToDatePence: 1_000 }] });
  });
});
