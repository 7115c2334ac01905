import { ApplicationView } from '@sg/applications';
import { answerSummary, FormDefinition, formatPounds, humanDate, SummarySection } from '@sg/domain';
import { Messages } from '../messages';

/** An event of the timeline as the applicant's pages read it. */
export interface TimelineEvent {
  action: string;
  reason: string | null;
  message?: string;
  at: string;
}

/** The time of an event as the pages print it, in London. */
export function londonTime(at: string, dateStyle: 'long' | 'medium'): string {
  return new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle, timeStyle: 'short' });
}

/**
 * The status page of a sent application: where it stands, what happens next, the officer's
 * question when one waits for an answer, the offer when it may be accepted, the reports, the
 * answers as sent and the timeline (newest first).
 */
export function statusPageView(
  app: ApplicationView,
  events: readonly TimelineEvent[],
  form: FormDefinition | null,
  fileNames: ReadonlyMap<string, string>,
  messages: Messages,
): {
  stateLabel: string;
  nextSteps: string;
  requested: string;
  awarded: string;
  informationRequest: string | undefined;
  offer: { conditions: string[] } | undefined;
  summary: SummarySection[];
  reports: { title: string; due: string; stateLabel: string; href: string; linkText: string }[];
  timeline: { label: string; when: string; reason: string }[];
} {
  const t = (k: string, p?: Record<string, unknown>) => messages.t(k, p);
  const lastRequest = [...events].reverse().find((e) => e.action === 'request-information');
  return {
    stateLabel: t(`state.${app.state}`),
    nextSteps: t(`next.${app.state}`),
    requested: app.requestedPence === null ? '' : formatPounds(app.requestedPence),
    awarded: app.awardedPence === null ? '' : formatPounds(app.awardedPence),
    informationRequest: app.allowedActions.includes('provide-information')
      ? (lastRequest?.message ?? t('info.noQuestion'))
      : undefined,
    offer: app.allowedActions.includes('accept-offer') ? { conditions: app.conditions } : undefined,
    summary: form ? answerSummary(form, app.answers, fileNames) : [],
    reports: app.reports
      .filter((r) => r.state !== 'cancelled')
      .map((r) => ({
        title: t(`report.title.${r.kind}`),
        due: t('report.due', { date: humanDate(r.dueOn) }),
        stateLabel: t(`reportState.${r.state}`),
        href: `/applications/${app.id}/reports/${r.id}`,
        linkText: t(
          (r.state === 'due' || r.state === 'returned') && app.state === 'active' ? 'report.link' : 'report.view',
        ),
      })),
    timeline: [...events].reverse().map((e) => ({
      label: t(`event.${e.action}`),
      when: londonTime(e.at, 'long'),
      reason: e.reason ?? '',
    })),
  };
}
