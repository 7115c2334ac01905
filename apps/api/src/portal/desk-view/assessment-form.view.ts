import { ApplicationView, AssessApplicationUseCase } from '@sg/applications';
import { penceForInput } from '@sg/domain';
import { Messages } from '../messages';
import { PageErrors } from '../pages';
import { questionView } from '../question-view';

type AssessmentRead = Awaited<ReturnType<AssessApplicationUseCase['get']>>;

/** The assessment form's fields as saved: the recommended amount, tier, override and each area's score and note. */
export function assessmentFormFields(view: AssessmentRead): Record<string, string> {
  const a = view.assessment;
  const fields: Record<string, string> = {
    recommended: a?.recommendedPence ? penceForInput(a.recommendedPence) : '',
    riskTier: a?.riskTier ?? view.declaredRiskTier ?? '',
    overrideOutcome: a && a.outcome !== a.computedOutcome ? a.outcome : 'computed',
    overrideReason: a?.overrideReason ?? '',
  };
  for (const area of view.rubric?.areas ?? []) {
    if (a?.scores[area.id] !== undefined) fields[`score-${area.id}`] = String(a.scores[area.id]);
    if (a?.notes[area.id]) fields[`note-${area.id}`] = a.notes[area.id];
  }
  return fields;
}

/**
 * The risk-capability assessment form for the `assessment-form` template (without the user): the
 * tier, the rubric's areas with the tier's minimum score for each, the recommended amount and the
 * override, filled from `fields`, with the errors inline.
 */
export function assessmentFormView(
  id: string,
  app: ApplicationView,
  view: AssessmentRead,
  fields: Record<string, string>,
  errs: Partial<PageErrors>,
  messages: Messages,
) {
  const t = (k: string, p?: Record<string, unknown>) => messages.t(k, p);
  const tier = (fields.riskTier || view.declaredRiskTier || 'low') as 'low' | 'medium' | 'high';
  const fe = errs.fieldErrors ?? {};
  const questions = [
    questionView(
      {
        id: 'riskTier',
        type: 'single_choice',
        label: t('assess.tier'),
        hint: t('assess.tierHint'),
        options: ['low', 'medium', 'high'].map((v) => ({ value: v, label: t(`tier.${v}`) })),
      },
      fields,
      messages,
      { error: fe.riskTier },
    ),
    questionView(
      { id: 'recommended', type: 'money', label: t('assess.recommended'), hint: t('assess.recommendedHint') },
      fields,
      messages,
      { error: fe.recommendedPence },
    ),
    questionView(
      {
        id: 'overrideOutcome',
        type: 'single_choice',
        label: t('assess.override'),
        hint: t('assess.overrideHint'),
        options: ['computed', 'capable', 'capable_with_conditions', 'not_yet_capable'].map((v) => ({
          value: v,
          label: t(v === 'computed' ? 'assess.keepComputed' : `outcome.${v}`),
        })),
      },
      fields,
      messages,
      { error: fe.overrideOutcome },
    ),
    questionView({ id: 'overrideReason', type: 'long_text', label: t('assess.overrideReason') }, fields, messages, {
      error: fe.overrideReason,
    }),
  ];
  const areas = (view.rubric?.areas ?? []).map((a) => {
    const min = view.rubric?.tiers[tier]?.[a.id];
    return {
      id: a.id,
      title: a.title,
      minimum: min ? t('assess.required', { min }) : '',
      levels: a.levels.map((text, score) => ({ score, text, checked: fields[`score-${a.id}`] === String(score) })),
      note: fields[`note-${a.id}`] ?? '',
      error: fe[`scores.${a.id}`],
    };
  });
  return {
    title: t('assess.title'),
    application: app,
    tierQuestions: questions.slice(0, 1),
    overrideQuestions: questions.slice(1),
    areas,
    evidenceLabel: t('assess.evidence'),
    backLink: `/desk/applications/${id}`,
    ...errs,
  };
}
