import { completeAnswers, organisationProfile } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

/**
 * Bad input gets a clear problem+json answer with the field, and changes nothing; nothing a
 * client can send produces a 500.
 */
describe('the API refuses bad input clearly and changes nothing', () => {
  let s: TestStack;
  let admin: TestUser, officer: TestUser, applicant: TestUser, other: TestUser;
  let fundId: string, appId: string, orgId: string;

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    admin = await s.user('admin');
    const d = s.pilotDefinition();
    fundId = (await s.request('POST', '/api/v1/funds', admin.token, d)).body.id;
    officer = await s.user('officer', d.managingOrganisation.slug);
    applicant = await s.user('applicant');
    other = await s.user('applicant');
    orgId = (
      await s.request(
        'POST',
        '/api/v1/organisations',
        applicant.token,
        organisationProfile({
          name: 'Hartlepool Roma Women',
          legalForm: 'unincorporated_community_group',
          registrationNumber: undefined,
          areaCode: 'E06000001',
          postcode: 'TS24 7AA',
        }),
      )
    ).body.id;
    appId = (
      await s.request('POST', '/api/v1/applications', applicant.token, {
        fundId,
        organisationId: orgId,
        title: 'Drop-in',
        requestedPence: 300_000,
      })
    ).body.id;
  });

  afterAll(async () => {
    await s?.stop();
  });

  const snapshot = async () => ({
    app: (
      await s.ds.query('SELECT state, version, title, requested_pence FROM applications WHERE id = $1', [appId])
    )[0],
    events: (await s.ds.query('SELECT count(*)::int AS n FROM events WHERE application_id = $1', [appId]))[0].n,
    ledger: (await s.ds.query('SELECT count(*)::int AS n FROM ledger_entries WHERE fund_id = $1', [fundId]))[0].n,
    // Only this fund's rows: other test files write to the same tables at the same time.
    notifications: (
      await s.ds.query('SELECT count(*)::int AS n FROM notifications WHERE application_id = $1', [appId])
    )[0].n,
    outbox: (
      await s.ds.query(
        `SELECT count(*)::int AS n FROM outbox o WHERE o.payload->>'fundId' = $1
           OR (o.payload->>'notificationId')::bigint IN (SELECT id FROM notifications WHERE application_id = $2)`,
        [fundId, appId],
      )
    )[0].n,
  });

  const cases: [string, () => Promise<{ status: number; body: any; headers: Headers }>, number, string?, string?][] =
    [];
  const add = (
    name: string,
    call: () => Promise<{ status: number; body: any; headers: Headers }>,
    status: number,
    code?: string,
    field?: string,
  ) => cases.push([name, call, status, code, field]);

  add('no token', () => s.request('GET', `/api/v1/applications/${appId}`, null), 401, 'not_signed_in');
  add(
    'a made-up token',
    () => s.request('GET', `/api/v1/applications/${appId}`, 'sg_not-a-real-token'),
    401,
    'not_signed_in',
  );
  add('malformed JSON', () => s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, '{"title": '), 400);
  add(
    'an unknown field',
    () => s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { title: 'x', state: 'active' }),
    400,
    'validation_failed',
    'state',
  );
  add(
    'a string for pence',
    () => s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { requestedPence: '300000' }),
    400,
    'validation_failed',
    'requestedPence',
  );
  add(
    'fractional pence',
    () => s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { requestedPence: 12.5 }),
    400,
    'validation_failed',
    'requestedPence',
  );
  add(
    'more than the form allows',
    () => s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { requestedPence: 500_001 }),
    400,
    'validation_failed',
    'answers.amount_requested',
  );
  add(
    'an answer of the wrong type',
    () =>
      s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { answers: { people_expected: 'forty' } }),
    400,
    'validation_failed',
    'answers.people_expected',
  );
  add(
    'an answer to no question',
    () =>
      s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { answers: { favourite_colour: 'blue' } }),
    400,
    'validation_failed',
    'answers.favourite_colour',
  );
  add(
    'submitting an incomplete application',
    () => s.request('POST', `/api/v1/applications/${appId}/actions/submit`, applicant.token, {}),
    422,
    'application_incomplete',
    'answers.project_summary',
  );
  add(
    'a stale If-Match',
    () =>
      s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { title: 'New' }, { 'if-match': '"v0"' }),
    409,
    'stale_version',
  );
  add(
    'a nonsense If-Match',
    () =>
      s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { title: 'New' }, { 'if-match': 'banana' }),
    400,
    'invalid_if_match',
  );
  add(
    'an id that is not a UUID',
    () => s.request('GET', `/api/v1/applications/not-a-uuid'--`, applicant.token),
    404,
    'not_found',
  );
  add(
    'an address that is not valid percent-encoding',
    () => s.request('GET', `/api/v1/applications/%E0%A4%A`, applicant.token),
    400,
    'bad_address',
  );
  add(
    'an address over 16 KB (refused by Node before Fastify)',
    () => s.request('GET', `/api/v1/applications/${appId}?q=${'a'.repeat(20_000)}`, applicant.token),
    431,
    'headers_too_large',
  );
  add(
    'a path segment longer than any identifier',
    () => s.request('GET', `/api/v1/applications/${'a'.repeat(150)}`, applicant.token),
    414,
    'address_too_long',
  );
  add(
    'another organisation’s application',
    () => s.request('GET', `/api/v1/applications/${appId}`, other.token),
    404,
    'not_found',
  );
  add(
    'another organisation’s action',
    () => s.request('POST', `/api/v1/applications/${appId}/actions/submit`, other.token, {}),
    404,
    'not_found',
  );
  add(
    'an unknown action',
    () => s.request('POST', `/api/v1/applications/${appId}/actions/fast-track`, applicant.token, {}),
    404,
    'unknown_action',
  );
  add(
    'an action in the wrong state',
    () => s.request('POST', `/api/v1/applications/${appId}/actions/accept-offer`, applicant.token, {}),
    409,
    'not_allowed_in_state',
  );
  add(
    'an unknown field in an action',
    () =>
      s.request('POST', `/api/v1/applications/${appId}/actions/submit`, applicant.token, {
        amountPence: 1,
        state: 'active',
      }),
    400,
    'validation_failed',
    'state',
  );
  add(
    'a negative amount',
    () => s.request('POST', `/api/v1/applications/${appId}/actions/submit`, applicant.token, { amountPence: -5 }),
    400,
    'validation_failed',
    'amountPence',
  );
  add(
    'a huge body',
    () => s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, { summary: 'x'.repeat(2_000_000) }),
    413,
  );
  add(
    'a body that is not JSON',
    () =>
      s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, '<title>x</title>', {
        'content-type': 'application/xml',
      }),
    415,
  );
  add('an unknown route', () => s.request('GET', '/api/v1/grants', applicant.token), 404);
  add(
    'an officer starting an application',
    () =>
      s.request('POST', '/api/v1/applications', officer.token, {
        fundId,
        organisationId: orgId,
        title: 'x',
        requestedPence: 1,
      }),
    403,
    'role_not_permitted',
  );
  add(
    'an applicant using an organisation not theirs',
    () =>
      s.request('POST', '/api/v1/applications', other.token, {
        fundId,
        organisationId: orgId,
        title: 'x',
        requestedPence: 1,
      }),
    422,
    'unknown_organisation',
    'organisationId',
  );
  add(
    'an applicant creating a fund',
    () => s.request('POST', '/api/v1/funds', applicant.token, s.pilotDefinition()),
    403,
    'role_not_permitted',
  );
  add(
    'an inconsistent fund',
    () =>
      s.request('POST', '/api/v1/funds', admin.token, {
        ...s.pilotDefinition(),
        paymentSchedule: [{ percent: 60, trigger: 'on_acceptance' }],
      }),
    422,
    'invalid_fund_definition',
    'paymentSchedule',
  );
  add(
    'a fund with a bad nested field',
    () => s.request('POST', '/api/v1/funds', admin.token, { ...s.pilotDefinition(), areas: [{ code: '', name: 'x' }] }),
    400,
    'validation_failed',
    'areas.0.code',
  );
  add(
    'a bad list filter',
    () => s.request('GET', '/api/v1/applications?state=happy', applicant.token),
    400,
    'invalid_filter',
    'state',
  );
  add(
    'a list limit out of range',
    () => s.request('GET', '/api/v1/applications?limit=100000', applicant.token),
    400,
    'validation_failed',
    'limit',
  );

  it.each(cases.map((c) => [c[0], c] as const))('%s', async (_name, [, call, status, code, field]) => {
    const before = await snapshot();
    const r = await call();
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    if (code) expect(r.body.code).toBe(code);
    if (field) expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('a missing reason is a 422 naming the field, and a wrong role a 403, with nothing changed', async () => {
    const filled = await s.request('PATCH', `/api/v1/applications/${appId}`, applicant.token, {
      answers: completeAnswers({
        amount_requested: 300_000,
        budget: { lines: [{ item: 'Room hire', amountPence: 300_000 }] },
      }),
    });
    expect(filled.status).toBe(200);
    expect((await s.request('POST', `/api/v1/applications/${appId}/actions/submit`, applicant.token, {})).status).toBe(
      200,
    );
    const before = await snapshot();
    const forbidden = await s.request(
      'POST',
      `/api/v1/applications/${appId}/actions/start-screening`,
      applicant.token,
      {},
    );
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'role_not_permitted' } });
    await s.request('POST', `/api/v1/applications/${appId}/actions/start-screening`, officer.token, {});
    const screened = await snapshot();
    const noReason = await s.request('POST', `/api/v1/applications/${appId}/actions/mark-ineligible`, officer.token, {
      reason: '   ',
    });
    expect(noReason).toMatchObject({ status: 422, body: { code: 'invalid_command', errors: [{ field: 'reason' }] } });
    expect(await snapshot()).toEqual(screened);
    expect(screened.events).toBe(before.events + 1);
  });

  it('lists show each caller only what they may see', async () => {
    const ids = async (token: string, query = `?fundId=${fundId}`) => {
      const r = await s.request('GET', `/api/v1/applications${query}`, token);
      return { status: r.status, ids: (r.body.items ?? []).map((a: { id: string }) => a.id), total: r.body.total };
    };
    expect(await ids(applicant.token)).toEqual({ status: 200, ids: [appId], total: 1 });
    expect(await ids(other.token)).toEqual({ status: 200, ids: [], total: 0 });
    expect(await ids(officer.token)).toEqual({ status: 200, ids: [appId], total: 1 }); // submitted by now
    expect(await ids(officer.token, `?fundId=${fundId}&state=draft`)).toEqual({ status: 200, ids: [], total: 0 });
    expect(await ids(officer.token, `?fundId=${fundId}&limit=1&offset=1`)).toEqual({ status: 200, ids: [], total: 1 });
    const outsider = await s.user('officer'); // an officer of no VDA party to this fund
    expect((await ids(outsider.token)).ids).toEqual([]);
    expect((await ids((await s.user('funder_viewer')).token)).status).toBe(403);
  });

  it('event and ledger rows cannot be changed or deleted, even by the application’s own connection', async () => {
    await expect(
      s.ds.query(`UPDATE events SET reason = 'rewritten' WHERE application_id = $1`, [appId]),
    ).rejects.toThrow(/append-only/);
    await expect(s.ds.query(`DELETE FROM ledger_entries WHERE fund_id = $1`, [fundId])).rejects.toThrow(/append-only/);
  });
});
