import { ApplicationView } from '@sg/applications';
import { formatPounds, humanDate } from '@sg/domain';
import { FundSummaryView } from '@sg/funds';
import { Messages } from '../messages';
import { QuestionView, questionView } from '../question-view';

/** The applicant's dashboard rows: each application with its fund's name and its state in words. */
export function dashboardApplications(
  applications: readonly ApplicationView[],
  funds: readonly Pick<FundSummaryView, 'id' | 'name'>[],
  messages: Messages,
): (ApplicationView & { fundName: string; stateLabel: string })[] {
  const fundNames = new Map(funds.map((f) => [f.id, f.name]));
  return applications.map((a) => ({
    ...a,
    fundName: fundNames.get(a.fundId) ?? '',
    stateLabel: messages.t(`state.${a.state}`),
  }));
}

/**
 * A fund's page: the fund in words, and the one question before an application starts (which of
 * the applicant's organisations applies; chosen already when there is only one).
 */
export function fundPageView(
  fund: FundSummaryView,
  organisations: readonly { id: string; name: string }[],
  error: string | undefined,
  messages: Messages,
): {
  fund: Omit<FundSummaryView, 'areas' | 'opensOn' | 'closesOn'> & {
    maximum: string;
    areas: string;
    opensOn: string;
    closesOn: string;
  };
  questions: QuestionView[];
} {
  const chooser = questionView(
    {
      id: 'organisationId',
      type: 'single_choice',
      label: messages.t('fund.whichOrganisation'),
      options: organisations.map((o) => ({ value: o.id, label: o.name })),
    },
    { organisationId: organisations.length === 1 ? organisations[0].id : '' },
    messages,
    { error },
  );
  return {
    fund: {
      ...fund,
      maximum: formatPounds(fund.maxPerOrganisationPence),
      areas: fund.areas.map((a) => a.name).join(', '),
      opensOn: fund.opensOn ? humanDate(fund.opensOn) : '',
      closesOn: fund.closesOn ? humanDate(fund.closesOn) : '',
    },
    questions: [chooser],
  };
}
