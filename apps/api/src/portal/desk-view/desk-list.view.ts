import { BULK_ACTIONS, DESK_SORTS, DeskQueries } from '@sg/applications';
import { APPLICATION_STATES, formatPounds } from '@sg/domain';
import { Messages } from '../messages';

type Desk = Awaited<ReturnType<DeskQueries['desk']>>;
type Decisions = Awaited<ReturnType<DeskQueries['decisions']>>;

/**
 * A fund's desk: its applications by state with the filters and sorts chosen, for the `desk`
 * template (without the user and the bulk action's notice). `areas` maps area codes to names.
 */
export function deskListView(
  desk: Desk,
  areas: ReadonlyMap<string, string>,
  chosen: { state?: string; sort: string; area?: string },
  messages: Messages,
) {
  const t = (k: string, p?: Record<string, unknown>) => messages.t(k, p);
  return {
    title: desk.fund.name,
    desk,
    counts: Object.entries(desk.counts).map(([s, n]) => ({ state: s, n, label: t(`state.${s}`) })),
    states: APPLICATION_STATES.filter((s) => s !== 'draft').map((s) => ({
      value: s,
      label: t(`state.${s}`),
      selected: s === chosen.state,
    })),
    areas: [...areas].map(([value, label]) => ({ value, label, selected: value === chosen.area })),
    sorts: DESK_SORTS.map((s) => ({ value: s, label: t(`desk.sort.${s}`), selected: s === chosen.sort })),
    rows: desk.rows.map((r) => ({
      ...r,
      stateLabel: t(`state.${r.state}`),
      areaName: areas.get(r.areaCode) ?? r.areaCode,
      requested: r.requestedPence === null ? '' : formatPounds(r.requestedPence),
      flagLabels: r.flags.map((f) => t(`flag.${f}`)),
    })),
    bulkActions: BULK_ACTIONS.map((a) => ({ value: a, label: t(`action.${a}`) })),
    backLink: '/',
  };
}

/** The panel's decision list against the fund's money, for the `decisions` template (without the user). */
export function decisionsView(d: Decisions, fundId: string, messages: Messages) {
  const t = (k: string, p?: Record<string, unknown>) => messages.t(k, p);
  const pounds = (p: number | null) => (p === null ? '' : formatPounds(p));
  return {
    title: t('decisions.caption'),
    fund: d.fund,
    available: formatPounds(d.availablePence),
    rows: d.rows.map((r) => ({
      ...r,
      requested: pounds(r.requestedPence),
      recommended: pounds(r.recommendedPence),
      headroom: formatPounds(r.headroomPence),
      outcomeLabel: r.outcome ? t(`outcome.${r.outcome}`) : '',
    })),
    totalRequested: formatPounds(d.rows.reduce((a, r) => a + (r.requestedPence ?? 0), 0)),
    totalRecommended: formatPounds(d.rows.reduce((a, r) => a + (r.recommendedPence ?? r.requestedPence ?? 0), 0)),
    backLink: `/desk/funds/${fundId}`,
  };
}
