import {
  ApplicationFiles,
  ApplicationForms,
  ApplicationQueries,
  AssessApplicationUseCase,
  AwardConditions,
  DeskQueries,
  InternalNotes,
  MonitoringReports,
  ReadDeskApplication,
} from '../../libs/applications/src';
import { Actor, answerSummary, UseCaseError } from '../../libs/domain/src';
import { Accounts } from '../../libs/identity/src/accounts';
import { Organisations } from '../../libs/organisations/src';
import { completeAnswers, organisationProfile, rubricScores } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';
import { declareNoConflict } from '../support/funds';

/**
 * The desk's application read: everything the desk's application page shows, in two statements
 * whatever the number of reports, equal to what the page's separate reads returned.
 */
describe('the desk’s read of one application', () => {
  let s: TestStack;
  let officer: TestUser, hartlepool: TestUser, panel: TestUser, applicant: TestUser;
  let fundId: string, fundName: string, appId: string, orgId: string, twinId: string, bareId: string;
  const actor = async (u: TestUser): Promise<Actor> => (await s.api.get(Accounts).signedIn(u.userId))!.actor;
  const path = (id: string, rest = '') => `/api/v1/applications/${id}${rest}`;

  /** Every statement sent to PostgreSQL while `run` runs. */
  async function statements<T>(run: () => Promise<T>): Promise<{ result: T; count: number }> {
    const runner = s.ds.createQueryRunner();
    const spy = jest.spyOn(Object.getPrototypeOf(runner), 'query');
    await runner.release();
    try {
      const result = await run();
      return { result, count: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  }

  /** The page's reads as the desk's page made them before this read existed. */
  async function separateReads(a: Actor, id: string) {
    const app = await s.api.get(ApplicationQueries).get(a, id);
    const org = await s.api.get(Organisations).get(a, app.organisation.id);
    let assessment = null;
    try {
      assessment = await s.api.get(AssessApplicationUseCase).get(a, id);
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['forbidden', 'not_found'].includes(err.kind)) throw err;
    }
    const reports = s.api.get(MonitoringReports);
    return {
      app,
      duplicates: org.duplicateFlags,
      form: await s.api.get(ApplicationForms).get(app.form!.key, app.form!.version),
      files: await s.api.get(ApplicationFiles).list(a, id),
      events: await s.api.get(ApplicationQueries).events(a, id),
      assessment,
      conditions: await s.api.get(AwardConditions).list(a, id),
      summaries: await Promise.all(app.reports.map(async (r) => (await reports.get(a, id, r.id)).summary)),
      notes: await s.api.get(InternalNotes).list(a, id),
      fundName: (await s.api.get(DeskQueries).funds(a)).find((f) => f.id === app.fundId)?.name ?? '',
    };
  }

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    const admin = await s.user('admin');
    const d = s.pilotDefinition();
    const fund = (await s.request('POST', '/api/v1/funds', admin.token, d)).body;
    [fundId, fundName] = [fund.id, fund.name];
    officer = await s.user('officer', d.managingOrganisation.slug);
    hartlepool = await s.user('partner_officer', d.partners[0].slug);
    panel = await s.user('panel_member', d.managingOrganisation.slug);
    applicant = await s.user('applicant');
    const organisation = async (name: string, postcode: string) =>
      (
        await s.request(
          'POST',
          '/api/v1/organisations',
          applicant.token,
          organisationProfile({ registrationNumber: '', legalForm: 'other', name, areaCode: 'E06000004', postcode }),
        )
      ).body.id as string;
    orgId = await organisation(`Desk View Circle ${s.suffix}`, 'TS18 4AA');
    twinId = await organisation(`Desk View Twin ${s.suffix}`, 'TS18 5AA');
    const apply = async (org: string) => {
      const id = (
        await s.request('POST', '/api/v1/applications', applicant.token, {
          fundId,
          organisationId: org,
          answers: completeAnswers(),
        })
      ).body.id as string;
      expect((await s.request('POST', path(id, '/actions/submit'), applicant.token, {})).status).toBe(200);
      return id;
    };
    appId = await apply(orgId);
    bareId = await apply(twinId);
    const act = async (who: TestUser, action: string, body: Record<string, unknown> = {}) =>
      expect((await s.request('POST', path(appId, `/actions/${action}`), who.token, body)).status).toBe(200);
    await act(officer, 'start-screening');
    await act(officer, 'request-information', { message: 'Which hall will you use?' });
    await act(applicant, 'provide-information', { message: 'The church hall on Dovecot Street' });
    await declareNoConflict(s, officer, appId);
    await act(officer, 'confirm-eligible');
    expect(
      (
        await s.request('PUT', path(appId, '/assessment'), officer.token, {
          scores: rubricScores({ risk_identification: 1 }),
        })
      ).status,
    ).toBe(200);
    for (const body of ['First note', 'Second note'])
      expect((await s.request('POST', path(appId, '/notes'), officer.token, { body })).status).toBe(201);
    // Around it, rows the page shows: a file, two conditions (one met), two reports and a possible duplicate.
    await s.ds.query(
      `INSERT INTO application_files (application_id, question_id, original_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
       VALUES ($1, 'safeguarding_policy', 'policy.pdf', 'application/pdf', 1234, 'x', $2, $3)`,
      [appId, `desk-view-${s.suffix}`, applicant.userId],
    );
    await s.ds.query(
      `INSERT INTO conditions (application_id, position, text, evidence_required, blocks, due_on, status, resolution_note, resolved_by, resolved_at)
       VALUES ($1, 1, 'Adopt a safeguarding policy', 'The policy', 'first_payment', '2027-01-31', 'open', NULL, NULL, NULL),
              ($1, 2, 'Name a safeguarding lead', '', 'offer_acceptance', NULL, 'met', 'Seen the minutes', $2, now())`,
      [appId, officer.userId],
    );
    await s.ds.query(
      `INSERT INTO monitoring_reports (application_id, kind, due_on, state, comments, form_key, form_version, answers)
       VALUES ($1, 'interim', '2027-06-01', 'submitted', NULL, 'cleveland-pilot-report', 1, $2),
              ($1, 'final', '2027-12-01', 'due', NULL, 'cleveland-pilot-report', 1, '{}')`,
      [appId, { narrative: 'Twelve sessions in the hall.', people_supported: 30 }],
    );
    await s.ds.query(
      `INSERT INTO organisation_duplicate_flags (organisation_id, matches_organisation_id, reason) VALUES ($1, $2, 'same_name_and_postcode')`,
      [twinId, orgId],
    );
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('returns what the page’s separate reads returned, in two statements whatever the number of reports', async () => {
    const a = await actor(officer);
    const { result: read, count } = await statements(() => s.api.get(ReadDeskApplication).get(a, appId));
    expect(count).toBe(2);
    const before = await separateReads(a, appId);

    expect(read.application).toEqual(before.app);
    expect(read.fundName).toBe(before.fundName);
    expect(read.duplicates).toEqual(before.duplicates);
    expect(read.form).toEqual(before.form);
    expect(read.files).toEqual(before.files);
    expect(read.events).toEqual(before.events);
    expect(read.assessment).toEqual({
      eligibility: before.assessment!.eligibility,
      assessment: {
        riskTier: before.assessment!.assessment!.riskTier,
        outcome: before.assessment!.assessment!.outcome,
        proposedConditions: before.assessment!.assessment!.proposedConditions,
        countersignRequired: before.assessment!.assessment!.countersignRequired,
        assessedBy: before.assessment!.assessment!.assessedBy,
        countersignedBy: before.assessment!.assessment!.countersignedBy,
      },
    });
    expect(read.conditions).toEqual(before.conditions);
    expect(read.reports.map((r) => (r.form ? answerSummary(r.form, r.answers as never) : []))).toEqual(
      before.summaries,
    );
    expect(read.notes).toEqual(before.notes);
    expect(read.declaredConflict).toBe(false); // the officer declared before screening it

    // And, written out, what the page will show of it.
    expect(read.fundName).toBe(fundName);
    expect(read.duplicates).toEqual([
      { organisationId: twinId, name: `Desk View Twin ${s.suffix}`, reason: 'same_name_and_postcode' },
    ]);
    expect(read.files.map((f) => [f.name, f.questionId, f.sizeBytes])).toEqual([
      ['policy.pdf', 'safeguarding_policy', 1234],
    ]);
    expect(read.events.map((e) => [e.action, e.message])).toEqual([
      ['submit', undefined],
      ['start-screening', undefined],
      ['request-information', 'Which hall will you use?'],
      ['provide-information', 'The church hall on Dovecot Street'],
      ['confirm-eligible', undefined],
    ]);
    expect(read.assessment!.assessment!.assessedBy.userId).toBe(officer.userId);
    expect(read.assessment!.assessment!.proposedConditions.length).toBeGreaterThan(0);
    expect(read.conditions.map((c) => [c.text, c.status, c.dueOn, c.resolvedBy?.userId ?? null])).toEqual([
      ['Adopt a safeguarding policy', 'open', '2027-01-31', null],
      ['Name a safeguarding lead', 'met', null, officer.userId],
    ]);
    expect(read.reports.map((r) => [r.id, r.answers])).toEqual([
      [read.application.reports[0].id, { narrative: 'Twelve sessions in the hall.', people_supported: 30 }],
      [read.application.reports[1].id, {}],
    ]);
    expect(read.notes.map((n) => [n.body, n.author.userId])).toEqual([
      ['First note', officer.userId],
      ['Second note', officer.userId],
    ]);

    // An application with nothing around it takes the same two statements.
    const bare = await statements(() => s.api.get(ReadDeskApplication).get(a, bareId));
    expect(bare.count).toBe(2);
    expect(bare.result).toMatchObject({ reports: [], notes: [], conditions: [], files: [], assessment: {} });
    expect(bare.result.duplicates).toEqual([
      { organisationId: orgId, name: `Desk View Circle ${s.suffix}`, reason: 'same_name_and_postcode' },
    ]);
  });

  it('finds nothing for an applicant or an officer of another area', async () => {
    for (const who of [applicant, hartlepool])
      await expect(s.api.get(ReadDeskApplication).get(await actor(who), appId)).rejects.toMatchObject({
        kind: 'not_found',
      });
  });

  it('shows a panel member the assessment, and nothing of the application once they declare a conflict of interest', async () => {
    await s.ds.query(`UPDATE applications SET state = 'awaiting_decision' WHERE id = $1`, [appId]);
    const a = await actor(panel);
    const read = () => s.api.get(ReadDeskApplication).get(a, appId);
    expect(await read()).toMatchObject({
      declaredConflict: null,
      assessment: { assessment: { outcome: expect.any(String) } },
    });
    expect(
      (await s.request('PUT', path(appId, '/conflict-of-interest'), panel.token, { conflicted: true })).status,
    ).toBe(200);
    await expect(read()).rejects.toMatchObject({ kind: 'forbidden', code: 'conflict_of_interest' });
    await expect(separateReads(a, appId)).rejects.toMatchObject({ code: 'conflict_of_interest' });
  });
});
