import { Messages } from '../messages';
import { decisionsView, deskListView } from './desk-list.view';

const messages = new Messages();
const fund = { id: 'f1', name: 'Cleveland Pilot', slug: 'cleveland' };

describe('the desk’s list of a fund’s applications', () => {
  const desk = {
    fund,
    counts: { submitted: 2, awaiting_decision: 1 },
    rows: [
      {
        id: 'a1',
        reference: 'SG-0001',
        title: 'Lunch club',
        organisationName: 'Stockton Circle',
        state: 'submitted',
        areaCode: 'E06000004',
        requestedPence: 250_000,
        submittedAt: '2026-11-02T10:00:00.000Z',
        daysWaiting: 3,
        flags: ['possible_duplicate' as const, 'report_overdue' as const],
      },
      {
        id: 'a2',
        reference: 'SG-0002',
        title: 'Choir',
        organisationName: 'Elsewhere',
        state: 'awaiting_decision',
        areaCode: 'E99999999',
        requestedPence: null,
        submittedAt: null,
        daysWaiting: 0,
        flags: [],
      },
    ],
  };
  const areas = new Map([
    ['E06000004', 'Stockton-on-Tees'],
    ['E06000001', 'Hartlepool'],
  ]);

  it('labels the rows, the counts, the filters and the sorts, marking what was chosen', () => {
    const view = deskListView(desk, areas, { state: 'submitted', sort: 'amount', area: 'E06000001' }, messages);
    expect(view.title).toBe('Cleveland Pilot');
    expect(view.desk).toBe(desk);
    expect(view.backLink).toBe('/');
    expect(view.counts).toEqual([
      { state: 'submitted', n: 2, label: 'Submitted' },
      { state: 'awaiting_decision', n: 1, label: 'Awaiting decision' },
    ]);
    expect(view.states[0]).toEqual({ value: 'submitted', label: 'Submitted', selected: true });
    expect(view.states.map((s) => s.value as string)).not.toContain('draft');
    expect(view.states.filter((s) => s.selected)).toHaveLength(1);
    expect(view.areas).toEqual([
      { value: 'E06000004', label: 'Stockton-on-Tees', selected: false },
      { value: 'E06000001', label: 'Hartlepool', selected: true },
    ]);
    expect(view.sorts).toEqual([
      { value: 'waiting', label: 'Longest waiting', selected: false },
      { value: 'amount', label: 'Largest amount', selected: true },
      { value: 'area', label: 'Area', selected: false },
      { value: 'submitted', label: 'Oldest submitted', selected: false },
      { value: 'state', label: 'Status', selected: false },
    ]);
    expect(view.rows).toEqual([
      {
        ...desk.rows[0],
        stateLabel: 'Submitted',
        areaName: 'Stockton-on-Tees',
        requested: '£2,500.00',
        flagLabels: ['Possible duplicate', 'Report overdue'],
      },
      { ...desk.rows[1], stateLabel: 'Awaiting decision', areaName: 'E99999999', requested: '', flagLabels: [] },
    ]);
    expect(view.bulkActions).toEqual([
      { value: 'start-screening', label: 'Start checks' },
      { value: 'confirm-eligible', label: 'Confirm eligible' },
      { value: 'mark-ineligible', label: 'Mark not eligible' },
      { value: 'request-information', label: 'Ask the applicant' },
    ]);
  });

  it('selects no state and no area when none is chosen', () => {
    const view = deskListView(desk, areas, { sort: 'waiting' }, messages);
    expect(view.states.some((s) => s.selected)).toBe(false);
    expect(view.areas.some((a) => a.selected)).toBe(false);
    expect(view.sorts[0].selected).toBe(true);
  });
});

describe('the panel’s decision list', () => {
  it('shows each application against the fund’s money, totalling the recommendation or else the request', () => {
    const row = {
      reference: 'SG-0001',
      title: 'Lunch club',
      organisationName: 'Stockton Circle',
    };
    const view = decisionsView(
      {
        fund,
        availablePence: 1_000_000,
        rows: [
          {
            ...row,
            id: 'a1',
            requestedPence: 250_000,
            recommendedPence: 200_000,
            outcome: 'capable',
            headroomPence: 5_000,
          },
          { ...row, id: 'a2', requestedPence: 100_000, recommendedPence: null, outcome: null, headroomPence: 0 },
          {
            ...row,
            id: 'a3',
            requestedPence: null,
            recommendedPence: null,
            outcome: 'not_yet_capable',
            headroomPence: 0,
          },
        ],
      },
      'f1',
      messages,
    );
    expect(view).toEqual({
      title: 'Panel decisions',
      fund,
      available: '£10,000.00',
      rows: [
        {
          ...row,
          id: 'a1',
          requestedPence: 250_000,
          recommendedPence: 200_000,
          outcome: 'capable',
          headroomPence: 5_000,
          requested: '£2,500.00',
          recommended: '£2,000.00',
          headroom: '£50.00',
          outcomeLabel: 'Capable',
        },
        {
          ...row,
          id: 'a2',
          requestedPence: 100_000,
          recommendedPence: null,
          outcome: null,
          headroomPence: 0,
          requested: '£1,000.00',
          recommended: '',
          headroom: '£0.00',
          outcomeLabel: '',
        },
        {
          ...row,
          id: 'a3',
          requestedPence: null,
          recommendedPence: null,
          outcome: 'not_yet_capable',
          headroomPence: 0,
          requested: '',
          recommended: '',
          headroom: '£0.00',
          outcomeLabel: 'Not yet capable',
        },
      ],
      totalRequested: '£3,500.00',
      totalRecommended: '£3,000.00',
      backLink: '/desk/funds/f1',
    });
  });
});
