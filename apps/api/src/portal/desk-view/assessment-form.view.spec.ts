import { ApplicationView, AssessApplicationUseCase } from '@sg/applications';
import { Messages } from '../messages';
import { assessmentFormFields, assessmentFormView } from './assessment-form.view';

const messages = new Messages();
type AssessmentRead = Awaited<ReturnType<AssessApplicationUseCase['get']>>;

const app = { id: 'a1', reference: 'SG-0007', title: 'Lunch club' } as ApplicationView;
const rubric: NonNullable<AssessmentRead['rubric']> = {
  key: 'r',
  version: 1,
  title: 'Capability',
  areas: [
    { id: 'governance', title: 'Governance', levels: ['None', 'Some', 'Good', 'Strong'] },
    { id: 'safeguarding', title: 'Safeguarding', levels: ['None', 'Some', 'Good', 'Strong'] },
  ],
  tiers: {
    low: { governance: 1 },
    medium: { governance: 2, safeguarding: 1 },
    high: { governance: 3, safeguarding: 3 },
  },
};
const read = (assessment: Partial<NonNullable<AssessmentRead['assessment']>> | null): AssessmentRead =>
  ({
    applicationId: 'a1',
    eligibility: null,
    rubric,
    declaredRiskTier: 'medium',
    assessment: assessment && {
      riskTier: 'high',
      scores: { governance: 2 },
      notes: { governance: 'Minutes seen' },
      computedOutcome: 'capable',
      outcome: 'capable',
      overrideReason: null,
      recommendedPence: 200_050,
      ...assessment,
    },
  }) as AssessmentRead;

describe('the assessment form’s saved fields', () => {
  it('starts from the applicant’s declared tier when nothing is saved', () => {
    expect(assessmentFormFields(read(null))).toEqual({
      recommended: '',
      riskTier: 'medium',
      overrideOutcome: 'computed',
      overrideReason: '',
    });
  });

  it('shows a saved assessment, its scores and notes, and an override only when the outcome differs', () => {
    expect(assessmentFormFields(read({}))).toEqual({
      recommended: '2000.50',
      riskTier: 'high',
      overrideOutcome: 'computed',
      overrideReason: '',
      'score-governance': '2',
      'note-governance': 'Minutes seen',
    });
    expect(
      assessmentFormFields(
        read({ outcome: 'not_yet_capable', overrideReason: 'Accounts late', recommendedPence: null }),
      ),
    ).toMatchObject({ recommended: '', overrideOutcome: 'not_yet_capable', overrideReason: 'Accounts late' });
  });
});

describe('the assessment form', () => {
  it('shows each area with the chosen tier’s minimum and the scores as ticked', () => {
    const view = assessmentFormView(
      'a1',
      app,
      read(null),
      { riskTier: 'medium', 'score-safeguarding': '1' },
      {},
      messages,
    );
    expect(view.title).toBe('Risk-capability assessment');
    expect(view.application).toBe(app);
    expect(view.backLink).toBe('/desk/applications/a1');
    expect(view.evidenceLabel).toBe('Evidence (optional)');
    expect(view.areas).toEqual([
      {
        id: 'governance',
        title: 'Governance',
        minimum: 'Needs at least 2 for this tier',
        levels: [
          { score: 0, text: 'None', checked: false },
          { score: 1, text: 'Some', checked: false },
          { score: 2, text: 'Good', checked: false },
          { score: 3, text: 'Strong', checked: false },
        ],
        note: '',
        error: undefined,
      },
      {
        id: 'safeguarding',
        title: 'Safeguarding',
        minimum: 'Needs at least 1 for this tier',
        levels: [
          { score: 0, text: 'None', checked: false },
          { score: 1, text: 'Some', checked: true },
          { score: 2, text: 'Good', checked: false },
          { score: 3, text: 'Strong', checked: false },
        ],
        note: '',
        error: undefined,
      },
    ]);
    expect(view.tierQuestions).toHaveLength(1);
    expect(view.tierQuestions[0]).toMatchObject({
      id: 'riskTier',
      label: 'Risk tier of the proposed activity',
      options: [
        { value: 'low', label: 'Lower risk', checked: false },
        { value: 'medium', label: 'Medium risk', checked: true },
        { value: 'high', label: 'Higher risk', checked: false },
      ],
    });
    expect(view.overrideQuestions.map((q) => q.id)).toEqual(['recommended', 'overrideOutcome', 'overrideReason']);
    expect(view.overrideQuestions[1].options!.map((o) => o.label)).toEqual([
      'Keep the computed outcome',
      'Capable',
      'Capable with conditions',
      'Not yet capable',
    ]);
  });

  it('falls back to the declared tier, then to the lower tier, for the minimums', () => {
    const declared = assessmentFormView('a1', app, read(null), {}, {}, messages);
    expect(declared.areas.map((a) => a.minimum)).toEqual([
      'Needs at least 2 for this tier',
      'Needs at least 1 for this tier',
    ]);
    const lower = assessmentFormView('a1', app, { ...read(null), declaredRiskTier: null }, {}, {}, messages);
    expect(lower.areas.map((a) => a.minimum)).toEqual(['Needs at least 1 for this tier', '']);
  });

  it('puts each error beside its field and passes the summary through', () => {
    const errs = {
      errors: [{ text: 'Score every area', href: 'score-governance' }],
      fieldErrors: {
        'scores.governance': 'Score every area',
        recommendedPence: 'Too much',
        riskTier: 'Choose a tier',
        overrideReason: 'Say why',
      },
    };
    const view = assessmentFormView('a1', app, read(null), { 'note-governance': 'Seen' }, errs, messages);
    expect(view.errors).toEqual(errs.errors);
    expect(view.fieldErrors).toEqual(errs.fieldErrors);
    expect(view.areas[0]).toMatchObject({ note: 'Seen', error: 'Score every area' });
    expect(view.areas[1].error).toBeUndefined();
    expect(view.tierQuestions[0].error).toBe('Choose a tier');
    expect(view.overrideQuestions.map((q) => q.error)).toEqual(['Too much', undefined, 'Say why']);
  });
});
