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

  it('a decider who declared a conflict is refused, before the assessor rule', () => {
    expect(
      approve({ decider: { declaredConflict: true, assessedIt: true, fundAllowsAssessorToDecide: false } }),
    ).toMatchObject({ ok: false, code: 'conflict_of_interest' });
  });

  it('the assessor may not decide unless the fund allows it', () => {
    expect(
      approve({ decider: { declaredConflict: false, assessedIt: true, fundAllowsAssessorToDecide: false } }),
    ).toMatchObject({ ok: false, code: 'approver_is_assessor' });
    expect(
      approve({ decider: { declaredConflict: null, assessedIt: true, fundAllowsAssessorToDecide: true } }),
    ).toMatchObject({ ok: true });
    expect(approve({})).toMatchObject({ ok: true });
  });

  it("the command's own refusals come before the decision's rules", () => {
    expect(
      approve({ decider: { declaredConflict: true, assessedIt: false, fundAllowsAssessorToDecide: false } }, 0),
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
