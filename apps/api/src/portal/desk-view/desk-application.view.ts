import { DeskApplication } from '@sg/applications';
import {
  Actor,
  actionRequirements,
  answerSummary,
  AnswerValue,
  ApplicationState,
  can,
  formatPounds,
  humanDate,
  LifecycleAction,
} from '@sg/domain';
import { Messages } from '../messages';
import { londonTime } from '../application-view/status.view';

/**
 * The desk's application page for one reader, from the desk's read of it: everything the
 * `staff-application` template shows except the action forms (`actions`), the user and the
 * handler's notice or errors.
 */
export function deskApplicationView(data: DeskApplication, actor: Actor, messages: Messages) {
  const t = (k: string, p?: Record<string, unknown>) => messages.t(k, p);
  const app = data.application;
  const assessment = data.assessment?.assessment ?? null;
  const isAssessor = can(actor.role, 'screen-and-assess');
  const forms = new Map(data.reports.map((r) => [r.id, r]));
  return {
    title: `${app.reference} ${app.title}`,
    application: app,
    fundName: data.fundName,
    stateLabel: t(`state.${app.state}`),
    requested: app.requestedPence === null ? '' : formatPounds(app.requestedPence),
    awarded: app.awardedPence === null ? '' : formatPounds(app.awardedPence),
    declaredTier: app.activityRiskTier ? t(`tier.${app.activityRiskTier}`) : '',
    duplicates: data.duplicates.map((d) => ({ ...d, reasonLabel: t(`duplicate.${d.reason}`) })),
    eligibility: (data.assessment?.eligibility?.checks ?? []).map((c) => ({ ...c, label: t(`eligibility.${c.id}`) })),
    passLabel: t('desk.pass'),
    failLabel: t('desk.fail'),
    assessment: assessment
      ? {
          outcomeLabel: t(`outcome.${assessment.outcome}`),
          countersignPending: assessment.countersignRequired && !assessment.countersignedBy,
          proposed: assessment.proposedConditions.map((c) => c.text),
        }
      : null,
    conditions: data.conditions.map((c) => ({ ...c, statusLabel: t(`condition.${c.status}`) })),
    reports: app.reports
      .filter((r) => r.state !== 'cancelled')
      .map((r) => {
        const stored = forms.get(r.id);
        return {
          id: r.id,
          title: t(`report.title.${r.kind}`),
          due: t('report.due', { date: humanDate(r.dueOn) }),
          stateLabel: t(`reportState.${r.state}`),
          comments: r.comments,
          summary:
            r.state === 'due' || !stored?.form
              ? []
              : answerSummary(stored.form, stored.answers as Record<string, AnswerValue>),
        };
      }),
    adoptLabel: t('desk.adoptConditions'),
    canResolveConditions: isAssessor,
    conditionNoteLabel: t('desk.conditionNote'),
    markMetLabel: t('desk.markMet'),
    waiveLabel: t('desk.waive'),
    canAssess: isAssessor && app.state === 'risk_assessment' && data.declaredConflict === false,
    canCountersign:
      isAssessor &&
      data.declaredConflict === false &&
      app.state === 'risk_assessment' &&
      !!assessment?.countersignRequired &&
      !assessment.countersignedBy &&
      assessment.assessedBy.userId !== actor.userId,
    // Whoever assesses or decides is asked first; a declaration without conflict can be changed.
    conflictForm: can(actor.role, 'declare-conflicts') && data.declaredConflict === null,
    conflictFormHint: t('coi.hint'),
    declaredClear: can(actor.role, 'declare-conflicts') && data.declaredConflict === false,
    summary: data.form ? answerSummary(data.form, app.answers, new Map(data.files.map((f) => [f.id, f.name]))) : [],
    files: data.files,
    notes: data.notes.map((n) => ({ ...n, when: londonTime(n.at, 'medium') })),
    canWriteNotes: can(actor.role, 'write-internal-notes'),
    timeline: [...data.events].reverse().map((e) => ({
      label: t(`event.${e.action}`),
      when: londonTime(e.at, 'long'),
      reason: e.reason ?? e.message ?? '',
    })),
    backLink: `/desk/funds/${app.fundId}`,
  };
}

/** The assessment's proposed conditions, which the approve form offers to adopt (none when the reader may not see them). */
export function deskProposals(data: DeskApplication) {
  return data.assessment?.assessment?.proposedConditions ?? [];
}

/**
 * The actions this reader must declare before taking: those whose rule needs the actor's declaration
 * (screening, scoring, completing the assessment, deciding), while they have not declared.
 */
export function judgementsAwaitDeclaration(data: DeskApplication, actor: Actor): LifecycleAction[] {
  if (!can(actor.role, 'declare-conflicts') || data.declaredConflict !== null) return [];
  const state = data.application.state as ApplicationState;
  return data.application.allowedActions.filter((a) => actionRequirements(state, a).needs.includes('declaration'));
}
