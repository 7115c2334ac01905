import { ApplicationView, DeskApplication } from '@sg/applications';
import { Actor, FormDefinition } from '@sg/domain';
import { Messages } from '../messages';
import { deskApplicationView, deskProposals, judgementsAwaitDeclaration } from './desk-application.view';

const messages = new Messages();
const officer: Actor = { userId: 'u-officer', role: 'officer', partnerOrganisationId: 'p1' } as Actor;
const secondOfficer: Actor = { ...officer, userId: 'u-second' };
const panel: Actor = { userId: 'u-panel', role: 'panel_member', partnerOrganisationId: 'p1' } as Actor;

const form: FormDefinition = {
  key: 'f',
  version: 1,
  title: 'F',
  declaration: ['True'],
  sections: [
    {
      id: 'about',
      title: 'About',
      questions: [
        { id: 'project', type: 'short_text', label: 'Project' },
        { id: 'policy', type: 'file', label: 'Policy' },
      ],
    },
  ],
};
const reportForm: FormDefinition = {
  key: 'r',
  version: 1,
  purpose: 'report',
  title: 'R',
  declaration: ['True'],
  sections: [{ id: 'did', title: 'What you did', questions: [{ id: 'narrative', type: 'long_text', label: 'What' }] }],
};

const report = (id: string, kind: string, state: string, comments: string | null = null) => ({
  id,
  kind,
  dueOn: '2027-06-01',
  state,
  narrative: null,
  spendToDatePence: null,
  comments,
  submittedAt: null,
});

/** A timeline event (states and role do not show on the page). */
const event = (id: number, action: string, at: string, extra: { reason?: string; message?: string } = {}) => ({
  id,
  action,
  from: null,
  to: null,
  actorRole: 'officer',
  reason: extra.reason ?? null,
  ...(extra.message ? { message: extra.message } : {}),
  at,
});

function data(over: Partial<DeskApplication> = {}, app: Partial<ApplicationView> = {}): DeskApplication {
  return {
    application: {
      id: 'a1',
      reference: 'SG-0007',
      fundId: 'f1',
      organisation: { id: 'o1', name: 'Stockton Circle' },
      state: 'risk_assessment',
      version: 5,
      allowedActions: ['complete-assessment'],
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
      form: { key: 'f', version: 1 },
      answers: { project: 'Lunch club', policy: 'file-1' },
      createdAt: '2026-11-01T10:00:00.000Z',
      updatedAt: '2026-11-02T10:00:00.000Z',
      payments: [],
      reports: [],
      ...app,
    },
    fundName: 'Cleveland Pilot',
    duplicates: [{ organisationId: 'o2', name: 'Stockton Circle CIO', reason: 'same_name_and_postcode' }],
    form,
    files: [
      {
        id: 'file-1',
        questionId: 'policy',
        name: 'policy.pdf',
        contentType: 'application/pdf',
        sizeBytes: 1234,
        uploadedAt: '2026-11-01T12:00:00.000Z',
      },
    ],
    events: [
      event(1, 'submit', '2026-11-02T10:00:00.000Z'),
      event(2, 'request-information', '2026-11-03T15:05:00.000Z', { message: 'Which hall?' }),
      event(3, 'confirm-eligible', '2026-11-04T09:00:00.000Z', { reason: 'All fine' }),
    ],
    assessment: {
      eligibility: {
        checkedAt: '2026-11-02T10:00:00.000Z',
        checks: [
          { id: 'area', passed: true, reason: 'Stockton-on-Tees' },
          { id: 'documents', passed: false, reason: 'No policy' },
        ],
      },
      assessment: {
        riskTier: 'low',
        outcome: 'capable_with_conditions',
        proposedConditions: [
          { text: 'Adopt a safeguarding policy', evidence: 'The policy', source: 'area:safeguarding' },
        ],
        countersignRequired: true,
        assessedBy: { userId: 'u-officer', displayName: 'Olive Officer' },
        countersignedBy: null,
      },
    } as DeskApplication['assessment'],
    declaredConflict: null,
    conditions: [
      {
        id: 'c1',
        text: 'Name a lead',
        evidenceRequired: '',
        blocks: 'first_payment',
        dueOn: null,
        status: 'met',
        resolutionNote: 'Seen',
        resolvedBy: { userId: 'u-officer', displayName: 'Olive Officer' },
        resolvedAt: '2026-11-05T10:00:00.000Z',
        source: null,
      },
    ],
    reports: [],
    notes: [
      {
        id: 9,
        body: 'Rang them',
        author: { userId: 'u-officer', displayName: 'Olive Officer' },
        at: '2026-07-01T08:15:00.000Z',
      },
    ],
    ...over,
  };
}

describe('the desk’s application page', () => {
  it('shows an officer the application, its checks, its assessment awaiting countersignature, the answers, files, notes and timeline', () => {
    // The officer declared no conflict of interest.
    const v = deskApplicationView(data({ declaredConflict: false }), officer, messages);
    expect(v).toMatchObject({
      title: 'SG-0007 Lunch club',
      fundName: 'Cleveland Pilot',
      stateLabel: 'Being assessed',
      requested: '£2,500.00',
      awarded: '',
      declaredTier: 'Lower risk',
      duplicates: [
        {
          organisationId: 'o2',
          name: 'Stockton Circle CIO',
          reason: 'same_name_and_postcode',
          reasonLabel: 'same name and postcode',
        },
      ],
      eligibility: [
        { id: 'area', passed: true, reason: 'Stockton-on-Tees', label: 'Area' },
        { id: 'documents', passed: false, reason: 'No policy', label: 'Documents' },
      ],
      passLabel: 'Pass',
      failLabel: 'Fail',
      assessment: {
        outcomeLabel: 'Capable with conditions',
        countersignPending: true,
        proposed: ['Adopt a safeguarding policy'],
      },
      conditions: [expect.objectContaining({ id: 'c1', status: 'met', statusLabel: 'Met' })],
      reports: [],
      canResolveConditions: true,
      canAssess: true,
      // The assessor cannot countersign their own assessment.
      canCountersign: false,
      conflictForm: false,
      declaredClear: true,
      summary: [
        {
          id: 'about',
          title: 'About',
          rows: [
            expect.objectContaining({ label: 'Project', lines: ['Lunch club'] }),
            expect.objectContaining({ label: 'Policy', lines: ['policy.pdf'] }),
          ],
        },
      ],
      files: [expect.objectContaining({ id: 'file-1', name: 'policy.pdf' })],
      notes: [expect.objectContaining({ body: 'Rang them', when: '1 Jul 2026, 09:15' })],
      canWriteNotes: true,
      timeline: [
        { label: 'Application can be considered', when: '4 November 2026 at 09:00', reason: 'All fine' },
        { label: 'More information requested', when: '3 November 2026 at 15:05', reason: 'Which hall?' },
        { label: 'Application submitted', when: '2 November 2026 at 10:00', reason: '' },
      ],
      backLink: '/desk/funds/f1',
    });
    expect(v).not.toHaveProperty('actions');
    // A second officer countersigns once they have declared no conflict.
    expect(deskApplicationView(data(), secondOfficer, messages).canCountersign).toBe(false);
    expect(deskApplicationView(data({ declaredConflict: false }), secondOfficer, messages).canCountersign).toBe(true);
    expect(deskProposals(data())).toEqual([
      { text: 'Adopt a safeguarding policy', evidence: 'The policy', source: 'area:safeguarding' },
    ]);
  });

  it('lists the reports (not cancelled ones) with the officer’s comments and, once sent, the answers', () => {
    const v = deskApplicationView(
      data(
        {
          reports: [
            { id: 'r1', form: reportForm, answers: { narrative: 'Twelve sessions' } },
            { id: 'r2', form: reportForm, answers: { narrative: 'Started' } },
            { id: 'r3', form: reportForm, answers: {} },
          ],
        },
        {
          state: 'active',
          reports: [
            report('r1', 'interim', 'returned', 'Add the spend'),
            report('r2', 'final', 'due'),
            report('r3', 'final', 'cancelled'),
          ],
        },
      ),
      officer,
      messages,
    );
    expect(v.reports).toEqual([
      {
        id: 'r1',
        title: 'Interim monitoring report',
        due: 'due 1 June 2027',
        stateLabel: 'Returned: please update it',
        comments: 'Add the spend',
        summary: [
          {
            id: 'did',
            title: 'What you did',
            rows: [expect.objectContaining({ label: 'What', lines: ['Twelve sessions'] })],
          },
        ],
      },
      {
        id: 'r2',
        title: 'Final monitoring report',
        due: 'due 1 June 2027',
        stateLabel: 'Due',
        comments: null,
        summary: [],
      },
    ]);
    expect([v.canAssess, v.canCountersign]).toEqual([false, false]);
  });

  it('asks a panel member about a conflict of interest first, holding back the decision forms until then', () => {
    const undeclared = data({}, { state: 'awaiting_decision', allowedActions: ['approve', 'reject', 'withdraw'] });
    expect(deskApplicationView(undeclared, panel, messages)).toMatchObject({
      conflictForm: true,
      declaredClear: false,
      canWriteNotes: false,
      canResolveConditions: false,
      canAssess: false,
    });
    expect(judgementsAwaitDeclaration(undeclared, panel).sort()).toEqual(['approve', 'reject']);
    const declared = { ...undeclared, declaredConflict: false };
    expect(deskApplicationView(declared, panel, messages)).toMatchObject({ conflictForm: false, declaredClear: true });
    expect(judgementsAwaitDeclaration(declared, panel)).toEqual([]);
    // An officer must declare before screening and scoring, not before claiming the work.
    const screening = data({}, { state: 'screening', allowedActions: ['confirm-eligible', 'request-information'] });
    expect(judgementsAwaitDeclaration(screening, officer)).toEqual(['confirm-eligible']);
    expect(deskApplicationView(screening, officer, messages)).toMatchObject({ canAssess: false });
    expect(deskProposals(data({ assessment: null }))).toEqual([]);
  });

  it('leaves out what is not there: no form, no amounts, no declared tier', () => {
    const v = deskApplicationView(
      data({ form: null, duplicates: [] }, { form: null, requestedPence: null, activityRiskTier: null }),
      officer,
      messages,
    );
    expect(v).toMatchObject({ summary: [], requested: '', declaredTier: '', duplicates: [] });
  });
});
