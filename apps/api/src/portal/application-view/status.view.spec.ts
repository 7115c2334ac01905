import { ApplicationView } from '@sg/applications';
import { FormDefinition } from '@sg/domain';
import { Messages } from '../messages';
import { statusPageView } from './status.view';

const messages = new Messages();

function application(over: Partial<ApplicationView> = {}): ApplicationView {
  return {
    id: 'a1',
    reference: 'SG-0001',
    fundId: 'f1',
    organisation: { id: 'o1', name: 'Stockton Circle' },
    state: 'submitted',
    version: 3,
    allowedActions: [],
    title: 'Lunch club',
    summary: '',
    requestedPence: 250_000,
    areaCode: 'E06000004',
    activityRiskTier: 'low',
    awardedPence: null,
    conditions: [],
    disbursedPence: 0,
    returnedPence: 0,
    underspendWaived: false,
    offerExpiresAt: null,
    submittedAt: '2026-11-02T10:00:00.000Z',
    decidedAt: null,
    acceptedAt: null,
    form: null,
    answers: {},
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    payments: [],
    reports: [],
    ...over,
  };
}

const form: FormDefinition = {
  key: 'f',
  version: 1,
  title: 'F',
  declaration: ['True'],
  sections: [{ id: 'about', title: 'About you', questions: [{ id: 'project', type: 'short_text', label: 'Project' }] }],
};

describe('the application status page', () => {
  it('shows a sent application: its state, the amounts, no question, no offer, the timeline newest first', () => {
    const v = statusPageView(
      application(),
      [
        { action: 'submit', reason: null, at: '2026-11-02T10:00:00.000Z' },
        { action: 'start-screening', reason: 'First look', at: '2026-07-02T09:30:00.000Z' },
      ],
      null,
      new Map(),
      messages,
    );
    expect(v).toEqual({
      stateLabel: 'Submitted',
      nextSteps: expect.any(String),
      requested: '£2,500.00',
      awarded: '',
      informationRequest: undefined,
      offer: undefined,
      summary: [],
      reports: [],
      timeline: [
        { label: 'Checks started', when: '2 July 2026 at 10:30', reason: 'First look' },
        { label: 'Application submitted', when: '2 November 2026 at 10:00', reason: '' },
      ],
    });
  });

  it('shows the latest question while an answer may be given, and a stock line when the question is not on record', () => {
    const app = application({ state: 'information_requested', allowedActions: ['provide-information'] });
    const asked = statusPageView(
      app,
      [
        { action: 'request-information', reason: null, message: 'Which hall?', at: '2026-11-03T10:00:00.000Z' },
        { action: 'provide-information', reason: null, message: 'The church hall', at: '2026-11-04T10:00:00.000Z' },
        { action: 'request-information', reason: null, message: 'How many people?', at: '2026-11-05T10:00:00.000Z' },
      ],
      null,
      new Map(),
      messages,
    );
    expect(asked.informationRequest).toBe('How many people?');
    expect(statusPageView(app, [], null, new Map(), messages).informationRequest).toBe(
      'Please see the email we sent you.',
    );
  });

  it('shows the offer with its conditions while it may be accepted, and the award', () => {
    const v = statusPageView(
      application({
        state: 'offered',
        awardedPence: 200_000,
        allowedActions: ['accept-offer', 'decline-offer'],
        conditions: ['Send the safeguarding policy'],
      }),
      [],
      null,
      new Map(),
      messages,
    );
    expect(v.offer).toEqual({ conditions: ['Send the safeguarding policy'] });
    expect(v.awarded).toBe('£2,000.00');
  });

  it('lists the reports (not cancelled ones), linking to fill in an open one only while the grant is active', () => {
    const report = (id: string, state: string) => ({
      id,
      kind: 'interim',
      dueOn: '2027-03-01',
      state,
      narrative: null,
      spendToDatePence: null,
      comments: null,
      submittedAt: null,
    });
    const reports = [report('r1', 'due'), report('r2', 'cancelled'), report('r3', 'accepted')];
    const active = statusPageView(application({ state: 'active', reports }), [], null, new Map(), messages);
    expect(active.reports).toEqual([
      {
        title: 'Interim monitoring report',
        due: 'due 1 March 2027',
        stateLabel: 'Due',
        href: '/applications/a1/reports/r1',
        linkText: 'Fill in the report',
      },
      {
        title: 'Interim monitoring report',
        due: 'due 1 March 2027',
        stateLabel: 'Accepted',
        href: '/applications/a1/reports/r3',
        linkText: 'View the report',
      },
    ]);
    const suspended = statusPageView(application({ state: 'suspended', reports }), [], null, new Map(), messages);
    expect(suspended.reports[0].linkText).toBe('View the report');
  });

  it('shows the answers as sent when the fund has a form', () => {
    const v = statusPageView(application({ answers: { project: 'Lunch club' } }), [], form, new Map(), messages);
    expect(v.summary).toEqual([
      { id: 'about', title: 'About you', rows: [expect.objectContaining({ label: 'Project', lines: ['Lunch club'] })] },
    ]);
  });
});
