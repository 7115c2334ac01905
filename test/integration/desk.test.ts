import { Accounts } from '../../libs/identity/src/accounts';
import { declareNoConflict } from '../support/funds';
import { completeAnswers, organisationProfile } from '../support/pilot';
import { PageSession } from '../support/page-session';
import { TestStack, TestUser } from '../support/stack';

/** The officer's desk pages: who may open them, what each officer sees, and the waiting times. */
describe('the officer’s desk', () => {
  let s: TestStack;
  let officer: TestUser, hartlepool: TestUser, middlesbrough: TestUser, applicant: TestUser;
  let fundId: string, stocktonApp: string, hartlepoolApp: string;
  const password = 'desk test passphrase';
  const session = async (u: TestUser) => {
    await s.api.get(Accounts).setVerifiedPassword(u.userId, password);
    const p = new PageSession(s);
    await p.signIn(u.email, password);
    return p;
  };

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    const admin = await s.user('admin');
    const d = s.pilotDefinition();
    fundId = (await s.request('POST', '/api/v1/funds', admin.token, d)).body.id;
    officer = await s.user('officer', d.managingOrganisation.slug);
    hartlepool = await s.user('partner_officer', d.partners[0].slug);
    middlesbrough = await s.user('partner_officer', d.partners[1].slug);
    applicant = await s.user('applicant');
    const start = async (area: string, name: string, postcode: string) => {
      const org = await s.request(
        'POST',
        '/api/v1/organisations',
        applicant.token,
        organisationProfile({
          registrationNumber: '',
          legalForm: 'other',
          name: `${name} ${s.suffix}`,
          areaCode: area,
          postcode,
        }),
      );
      const id = (
        await s.request('POST', '/api/v1/applications', applicant.token, {
          fundId,
          organisationId: org.body.id,
          answers: completeAnswers(),
        })
      ).body.id;
      expect((await s.request('POST', `/api/v1/applications/${id}/actions/submit`, applicant.token, {})).status).toBe(
        200,
      );
      return id;
    };
    stocktonApp = await start('E06000004', 'Stockton Circle', 'TS18 4AA');
    hartlepoolApp = await start('E06000001', 'Hartlepool Circle', 'TS24 9AA');
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('shows the managing officer every application, and a partner officer only their area', async () => {
    const managing = await (await session(officer)).get(`/desk/funds/${fundId}`);
    expect(managing.status).toBe(200);
    expect(managing.html).toContain(`Stockton Circle ${s.suffix}`);
    expect(managing.html).toContain(`Hartlepool Circle ${s.suffix}`);
    const filtered = await (await session(officer)).get(`/desk/funds/${fundId}?area=E06000001`);
    expect(filtered.html).toContain(`Hartlepool Circle ${s.suffix}`);
    expect(filtered.html).not.toContain(`Stockton Circle ${s.suffix}`);
    const partner = await session(hartlepool);
    const own = await partner.get(`/desk/funds/${fundId}`);
    expect(own.html).toContain(`Hartlepool Circle ${s.suffix}`);
    expect(own.html).not.toContain(`Stockton Circle ${s.suffix}`);
    expect((await partner.get(`/desk/applications/${hartlepoolApp}`)).status).toBe(200);
    expect((await partner.get(`/desk/applications/${stocktonApp}`)).status).toBe(404);
    const other = await session(middlesbrough);
    expect((await other.get(`/desk/applications/${hartlepoolApp}`)).status).toBe(404);
    expect((await other.post(`/desk/applications/${hartlepoolApp}/actions/start-screening`, {}, '/')).status).toBe(404);
    expect((await s.ds.query('SELECT state FROM applications WHERE id = $1', [hartlepoolApp]))[0].state).toBe(
      'submitted',
    );
  });

  it('is closed to applicants and to people not signed in', async () => {
    const p = await session(applicant);
    expect((await p.get(`/desk/funds/${fundId}`)).status).toBe(404);
    expect((await p.get(`/desk/applications/${stocktonApp}`)).status).toBe(404);
    expect((await p.post(`/desk/applications/${stocktonApp}/notes`, { body: 'x' }, '/')).status).toBe(404);
    const anonymous = new PageSession(s);
    const r = await anonymous.get(`/desk/funds/${fundId}`);
    expect(r.status).toBe(303);
  });

  it('offers only the actions the machine allows this officer, and takes them through it', async () => {
    const p = await session(officer);
    const page = await p.get(`/desk/applications/${stocktonApp}`);
    expect(page.html).toContain('/actions/start-screening');
    expect(page.html).not.toContain('/actions/approve');
    const done = await p.post(
      `/desk/applications/${stocktonApp}/actions/start-screening`,
      {},
      `/desk/applications/${stocktonApp}`,
    );
    expect(done).toMatchObject({ status: 303, location: `/desk/applications/${stocktonApp}?done=1` });
    const refused = await p.post(
      `/desk/applications/${stocktonApp}/actions/mark-ineligible`,
      { text: '' },
      `/desk/applications/${stocktonApp}`,
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect((await s.ds.query('SELECT state FROM applications WHERE id = $1', [stocktonApp]))[0].state).toBe(
      'screening',
    );
    // An action the desk has no form for is not there; one it has, in the wrong state, changes nothing.
    expect(
      (await p.post(`/desk/applications/${stocktonApp}/actions/submit-report`, {}, `/desk/applications/${stocktonApp}`))
        .status,
    ).toBe(404);
    expect(
      (await p.post(`/desk/applications/${stocktonApp}/actions/close`, {}, `/desk/applications/${stocktonApp}`)).status,
    ).toBe(400);
    expect((await s.ds.query('SELECT state FROM applications WHERE id = $1', [stocktonApp]))[0].state).toBe(
      'screening',
    );
  });

  it('counts days waiting on officers from submission, leaving out time with the applicant', async () => {
    // Submitted twelve days ago; with the applicant from day 2 to day 8 (six days).
    await s.ds.query(`UPDATE applications SET submitted_at = now() - interval '12 days' WHERE id = $1`, [
      hartlepoolApp,
    ]);
    await s.ds.query(
      `INSERT INTO events (fund_id, application_id, action, from_state, to_state, actor_role, created_at) VALUES
       ($1, $2, 'request-information', 'screening', 'information_requested', 'officer', now() - interval '10 days'),
       ($1, $2, 'provide-information', 'information_requested', 'screening', 'applicant', now() - interval '4 days')`,
      [fundId, hartlepoolApp],
    );
    const html = (await (await session(officer)).get(`/desk/funds/${fundId}?sort=waiting`)).html;
    const row = html.split('<tr class="govuk-table__row">').find((r) => r.includes(`Hartlepool Circle ${s.suffix}`))!;
    expect(row).toMatch(/govuk-table__cell--numeric">6</);
  });

  it('takes routine actions in bulk, each through the machine on its own', async () => {
    const fresh = async (name: string, postcode: string, area = 'E06000004') => {
      const org = await s.request(
        'POST',
        '/api/v1/organisations',
        applicant.token,
        organisationProfile({
          registrationNumber: '',
          legalForm: 'other',
          name: `${name} ${s.suffix}`,
          areaCode: area,
          postcode,
        }),
      );
      const id = (
        await s.request('POST', '/api/v1/applications', applicant.token, {
          fundId,
          organisationId: org.body.id,
          answers: completeAnswers(),
        })
      ).body.id;
      await s.request('POST', `/api/v1/applications/${id}/actions/submit`, applicant.token, {});
      return id;
    };
    const [a, b, c] = [
      await fresh('Bulk A', 'TS18 5AA'),
      await fresh('Bulk B', 'TS18 6AA'),
      await fresh('Bulk C', 'TS18 7AA'),
    ];
    expect(
      (await s.request('POST', `/api/v1/applications/${c}/actions/start-screening`, officer.token, {})).status,
    ).toBe(200);
    // API: two submitted ones move; one already screening is refused without stopping the others.
    const r = await s.request('POST', '/api/v1/applications/bulk-actions/start-screening', officer.token, {
      applicationIds: [a, c, b],
    });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { ok: boolean; to?: string; code?: string }) => (i.ok ? i.to : i.code))).toEqual([
      'screening',
      'not_allowed_in_state',
      'screening',
    ]);
    expect(
      (await s.request('POST', '/api/v1/applications/bulk-actions/approve', officer.token, { applicationIds: [a] }))
        .status,
    ).toBe(404);
    const d = await fresh('Bulk D', 'TS18 8AA');
    expect(
      (
        await s.request('POST', '/api/v1/applications/bulk-actions/start-screening', applicant.token, {
          applicationIds: [d],
        })
      ).body.items[0],
    ).toMatchObject({ ok: false, code: 'role_not_permitted' });
    // A partner officer cannot reach another area's application in bulk either.
    expect(
      (
        await s.request('POST', '/api/v1/applications/bulk-actions/mark-ineligible', middlesbrough.token, {
          applicationIds: [hartlepoolApp],
          reason: 'x',
        })
      ).body.items[0],
    ).toMatchObject({ ok: false, code: 'not_found' });

    // Desk: mark both ineligible with one reason (a judgement: the officer declares first).
    await declareNoConflict(s, officer, a);
    const p = await session(officer);
    const done = await p.post(
      `/desk/funds/${fundId}/bulk`,
      { action: 'mark-ineligible', text: 'The project is outside Cleveland', ids: a },
      `/desk/funds/${fundId}`,
    );
    expect(done.status).toBe(200);
    expect(done.html).toContain('1 done, 0 refused.');
    const [row] = await s.ds.query(
      `SELECT a.state, e.reason FROM applications a JOIN events e ON e.application_id = a.id AND e.action = 'mark-ineligible' WHERE a.id = $1`,
      [a],
    );
    expect(row).toEqual({ state: 'ineligible', reason: 'The project is outside Cleveland' });
    expect((await s.ds.query('SELECT state FROM applications WHERE id = $1', [b]))[0].state).toBe('screening');
  });
});
