import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishForm } from '../../libs/applications/src/forms/application-forms';
import { FormDefinition } from '../../libs/domain/src/forms/form-definition';
import { Accounts } from '../../libs/identity/src/accounts';
import { declareNoConflict } from '../support/funds';
import { completeAnswers, organisationProfile, rubricScores } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';
import { DOCX, ODT } from '../support/zip';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/**
 * What one applicant may never see or do to another's records, duplicate organisations counted as
 * one against the cap, uploads judged by content, and answers that are refused without saving.
 */
describe('applicant boundaries', () => {
  let s: TestStack;
  let admin: TestUser, officer: TestUser, panel: TestUser, first: TestUser, second: TestUser;
  let fundId: string, orgId: string, appId: string, fileId: string;
  let regNumber: string;

  const upload = (token: string, id: string, questionId: string, name: string, bytes: Buffer) => {
    const form = new FormData();
    form.set('questionId', questionId);
    form.set('file', new Blob([new Uint8Array(bytes)]), name);
    return fetch(`${s.baseUrl}/api/v1/applications/${id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
  };

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    admin = await s.user('admin');
    const d = s.pilotDefinition();
    fundId = (await s.request('POST', '/api/v1/funds', admin.token, d)).body.id;
    officer = await s.user('officer', d.managingOrganisation.slug);
    panel = await s.user('panel_member', d.managingOrganisation.slug);
    first = await s.user('applicant');
    second = await s.user('applicant');
    regNumber = String(1_100_000 + Math.floor(Math.random() * 899_999));
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      first.token,
      organisationProfile({ registrationNumber: regNumber }),
    );
    expect(org.status).toBe(201);
    orgId = org.body.id;
    const app = await s.request('POST', '/api/v1/applications', first.token, {
      fundId,
      organisationId: orgId,
      answers: completeAnswers({ has_safeguarding_policy: true }),
    });
    expect(app.status).toBe(201);
    appId = app.body.id;
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('accepts a PDF by its content and refuses a renamed text file, an empty file and a file for a non-file question', async () => {
    const ok = await upload(first.token, appId, 'safeguarding_policy', 'Our policy.pdf', PDF);
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { id: string };
    expect(body).toMatchObject({
      questionId: 'safeguarding_policy',
      name: 'Our policy.pdf',
      contentType: 'application/pdf',
    });
    fileId = body.id;
    const before = await s.ds.query('SELECT version, answers FROM applications WHERE id = $1', [appId]);
    expect(before[0].answers.safeguarding_policy).toBe(fileId);

    for (const [name, bytes, question] of [
      ['policy.pdf', Buffer.from('just some text pretending'), 'safeguarding_policy'],
      ['policy.docx', Buffer.from('PK\u0003\u0004not really a zip'), 'safeguarding_policy'],
      ['empty.pdf', Buffer.alloc(0), 'safeguarding_policy'],
      ['policy.pdf', PDF, 'project_name'],
    ] as const) {
      const r = await upload(first.token, appId, question, name, bytes);
      expect(r.status).toBe(400);
      const problem = (await r.json()) as { errors: { field: string }[] };
      expect(problem.errors[0].field).toMatch(/^answers\.|^file$/);
    }
    expect(await s.ds.query('SELECT version, answers FROM applications WHERE id = $1', [appId])).toEqual(before);
    expect(
      (await s.ds.query('SELECT count(*)::int AS n FROM application_files WHERE application_id = $1', [appId]))[0].n,
    ).toBe(1);
  });

  it('accepts DOCX and ODT by their content and refuses a file over 10 MB, saving nothing', async () => {
    const draft = await s.request('POST', '/api/v1/applications', first.token, {
      fundId,
      organisationId: orgId,
      answers: { has_safeguarding_policy: true },
    });
    for (const [name, bytes, type] of [
      ['policy.docx', DOCX(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['policy (final).odt', ODT(), 'application/vnd.oasis.opendocument.text'],
      ['renamed.pdf', DOCX(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const) {
      const r = await upload(first.token, draft.body.id, 'safeguarding_policy', name, bytes);
      expect(r.status).toBe(201);
      const body = (await r.json()) as { contentType: string; name: string };
      expect(body.contentType).toBe(type);
      if (name === 'renamed.pdf') expect(body.name).toBe('renamed.docx'); // the name follows the content
    }
    const before = (
      await s.ds.query('SELECT count(*)::int AS n FROM application_files WHERE application_id = $1', [draft.body.id])
    )[0].n;
    const huge = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]);
    const r = await upload(first.token, draft.body.id, 'safeguarding_policy', 'huge.pdf', huge);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/10 MB or smaller/);
    expect(
      (
        await s.ds.query('SELECT count(*)::int AS n FROM application_files WHERE application_id = $1', [draft.body.id])
      )[0].n,
    ).toBe(before);
  });

  it('keeps each application on the form version it was started on', async () => {
    const key = `pinning-test-${s.suffix}`;
    const v1: FormDefinition = {
      ...JSON.parse(readFileSync(join(__dirname, '../../config/forms/cleveland-pilot-application.v1.json'), 'utf8')),
      key,
    };
    expect(await publishForm(s.ds, v1)).toBe('published');
    expect(await publishForm(s.ds, v1)).toBe('unchanged');
    const v2: FormDefinition = {
      ...v1,
      version: 2,
      sections: [
        ...v1.sections,
        {
          id: 'extra',
          title: 'Extra',
          questions: [{ id: 'new_question', type: 'yes_no', label: 'A question added in version 2', required: true }],
        },
      ],
    };
    await expect(publishForm(s.ds, { ...v2, version: 1 })).rejects.toThrow(
      /already published with different questions/,
    );
    const d = s.pilotDefinition();
    d.applicationForm = key;
    const fund = (await s.request('POST', '/api/v1/funds', admin.token, d)).body.id;
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      first.token,
      organisationProfile({
        registrationNumber: '',
        legalForm: 'other',
        name: `Pinning ${s.suffix}`,
        postcode: 'TS1 2AB',
      }),
    );
    const older = await s.request('POST', '/api/v1/applications', first.token, {
      fundId: fund,
      organisationId: org.body.id,
      answers: completeAnswers(),
    });
    expect(older.body.form).toEqual({ key, version: 1 });
    await publishForm(s.ds, v2);
    const newer = await s.request('POST', '/api/v1/applications', first.token, {
      fundId: fund,
      organisationId: org.body.id,
      answers: completeAnswers(),
    });
    expect(newer.body.form).toEqual({ key, version: 2 });
    // The older one is complete under version 1; the newer one must answer the added question.
    expect(
      (await s.request('POST', `/api/v1/applications/${older.body.id}/actions/submit`, first.token, {})).status,
    ).toBe(200);
    const refused = await s.request('POST', `/api/v1/applications/${newer.body.id}/actions/submit`, first.token, {});
    expect(refused).toMatchObject({
      status: 422,
      body: { code: 'application_incomplete', errors: [{ field: 'answers.new_question' }] },
    });
  });

  it('shows a second applicant nothing of the first one’s: application, organisation, files, actions all 404', async () => {
    const get = (path: string) => s.request('GET', path, second.token);
    expect((await get(`/api/v1/applications/${appId}`)).status).toBe(404);
    expect((await get(`/api/v1/applications/${appId}/events`)).status).toBe(404);
    expect((await get(`/api/v1/applications/${appId}/files`)).status).toBe(404);
    expect((await get(`/api/v1/files/${fileId}`)).status).toBe(404);
    expect((await get(`/api/v1/organisations/${orgId}`)).status).toBe(404);
    expect((await get(`/api/v1/organisations/${orgId}/members`)).status).toBe(404);
    expect((await s.request('PUT', `/api/v1/organisations/${orgId}`, second.token, organisationProfile())).status).toBe(
      404,
    );
    expect(
      (await s.request('POST', `/api/v1/organisations/${orgId}/invitations`, second.token, { email: 'x@example.org' }))
        .status,
    ).toBe(404);
    expect(
      (await s.request('PATCH', `/api/v1/applications/${appId}`, second.token, { title: 'Mine now' })).status,
    ).toBe(404);
    expect((await s.request('POST', `/api/v1/applications/${appId}/actions/withdraw`, second.token, {})).status).toBe(
      404,
    );
    expect((await upload(second.token, appId, 'safeguarding_policy', 'x.pdf', PDF)).status).toBe(404);
    // The owner reads the file back, byte for byte, as a download.
    const own = await fetch(`${s.baseUrl}/api/v1/files/${fileId}`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await own.arrayBuffer())).toEqual(PDF);
    // An officer sees no draft's file, and sees it once the application is submitted.
    expect((await s.request('GET', `/api/v1/files/${fileId}`, officer.token)).status).toBe(404);
    expect((await s.request('POST', `/api/v1/applications/${appId}/actions/submit`, first.token, {})).status).toBe(200);
    expect((await s.request('GET', `/api/v1/files/${fileId}`, officer.token)).status).toBe(200);
  });

  it('refuses every kind of bad answer and saves none of it', async () => {
    const draft = await s.request('POST', '/api/v1/applications', first.token, {
      fundId,
      organisationId: orgId,
      answers: { project_name: 'Second idea' },
    });
    expect(draft.status).toBe(201);
    const id = draft.body.id;
    const stored = async () =>
      (await s.ds.query('SELECT version, answers, title, requested_pence FROM applications WHERE id = $1', [id]))[0];
    const before = await stored();
    const bad: Record<string, unknown>[] = [
      { project_name: 'x'.repeat(121) },
      { project_summary: Array(151).fill('w').join(' ') },
      { people_expected: 3.5 },
      { amount_requested: '4500' },
      { start_date: '2027-13-01' },
      { risk_tier: 'extreme' },
      { activity_types: ['skydiving'] },
      { works_with_children: 'yes' },
      { safeguarding_policy: '00000000-0000-4000-8000-000000000000', has_safeguarding_policy: true },
      { budget: { lines: [{ item: 'Rent', amountPence: 0 }] } },
      // One good answer beside a bad one: neither is saved.
      { project_name: 'Renamed', people_expected: -1 },
    ];
    for (const answers of bad) {
      const r = await s.request('PATCH', `/api/v1/applications/${id}`, first.token, { answers });
      expect(r.status).toBe(400);
      expect(r.body.errors.length).toBeGreaterThan(0);
      expect(r.body.errors[0].message.length).toBeGreaterThan(10);
      expect(await stored()).toEqual(before);
    }
    const good = await s.request('PATCH', `/api/v1/applications/${id}`, first.token, {
      answers: { project_name: 'Renamed', people_expected: 12 },
    });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ title: 'Renamed', answers: { project_name: 'Renamed', people_expected: 12 } });
  });

  it('flags a second registration of the same group and counts its awards with the first against the £5,000 cap', async () => {
    // The first organisation's application (£4,500) is approved.
    await declareNoConflict(s, officer, appId);
    for (const action of ['start-screening', 'confirm-eligible']) {
      expect(
        (await s.request('POST', `/api/v1/applications/${appId}/actions/${action}`, officer.token, {})).status,
      ).toBe(200);
    }
    expect(
      (await s.request('PUT', `/api/v1/applications/${appId}/assessment`, officer.token, { scores: rubricScores() }))
        .status,
    ).toBe(200);
    expect(
      (await s.request('POST', `/api/v1/applications/${appId}/actions/complete-assessment`, officer.token, {})).status,
    ).toBe(200);
    await declareNoConflict(s, panel, appId);
    expect(
      (await s.request('POST', `/api/v1/applications/${appId}/actions/approve`, panel.token, { amountPence: 450_000 }))
        .status,
    ).toBe(200);

    // Someone else registers the same charity number under a slightly different name.
    const dup = await s.request(
      'POST',
      '/api/v1/organisations',
      second.token,
      organisationProfile({ name: 'The Tees Valley Sisters Ltd', registrationNumber: regNumber, postcode: 'TS17 6AA' }),
    );
    expect(dup.status).toBe(201);
    expect(dup.body.duplicateFlags).toBeUndefined(); // the applicant is not told about the other organisation
    const app = await s.request('POST', '/api/v1/applications', second.token, {
      fundId,
      organisationId: dup.body.id,
      answers: completeAnswers({
        amount_requested: 100_000,
        budget: { lines: [{ item: 'Room hire', amountPence: 100_000 }] },
      }),
    });
    const id = app.body.id;
    expect((await s.request('POST', `/api/v1/applications/${id}/actions/submit`, second.token, {})).status).toBe(200);
    await declareNoConflict(s, officer, id);
    for (const action of ['start-screening', 'confirm-eligible']) {
      expect((await s.request('POST', `/api/v1/applications/${id}/actions/${action}`, officer.token, {})).status).toBe(
        200,
      );
    }
    expect(
      (await s.request('PUT', `/api/v1/applications/${id}/assessment`, officer.token, { scores: rubricScores() }))
        .status,
    ).toBe(200);
    expect(
      (await s.request('POST', `/api/v1/applications/${id}/actions/complete-assessment`, officer.token, {})).status,
    ).toBe(200);
    const seen = await s.request('GET', `/api/v1/organisations/${dup.body.id}`, officer.token);
    expect(seen.body.duplicateFlags).toEqual([
      { organisationId: orgId, name: 'Tees Valley Sisters', reason: 'same_registration_number' },
    ]);

    await declareNoConflict(s, panel, id);
    const refused = await s.request('POST', `/api/v1/applications/${id}/actions/approve`, panel.token, {
      amountPence: 100_000,
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'exceeds_organisation_cap' } });
    expect(
      (await s.request('POST', `/api/v1/applications/${id}/actions/approve`, panel.token, { amountPence: 50_000 }))
        .status,
    ).toBe(200);
  });

  it('flags the same name at the same postcode, however it is written', async () => {
    const a = await s.request(
      'POST',
      '/api/v1/organisations',
      first.token,
      organisationProfile({
        name: 'Saheli Women’s Group',
        legalForm: 'unincorporated_community_group',
        registrationNumber: '',
        postcode: 'ts5 6aa',
      }),
    );
    const b = await s.request(
      'POST',
      '/api/v1/organisations',
      second.token,
      organisationProfile({
        name: 'saheli womens group',
        legalForm: 'other',
        registrationNumber: '',
        postcode: 'TS5 6AA',
      }),
    );
    expect([a.status, b.status]).toEqual([201, 201]);
    const [row] = await s.ds.query('SELECT duplicate_of FROM organisations WHERE id = $1', [b.body.id]);
    expect(row.duplicate_of).toBe(a.body.id);
  });

  it('flags a match made by changing the older organisation, linking the newer one to it', async () => {
    const older = await s.request(
      'POST',
      '/api/v1/organisations',
      first.token,
      organisationProfile({
        name: `Amani Circle ${s.suffix}`,
        registrationNumber: '',
        legalForm: 'other',
        postcode: 'TS3 7AA',
      }),
    );
    const newer = await s.request(
      'POST',
      '/api/v1/organisations',
      second.token,
      organisationProfile({
        name: `Nuru Circle ${s.suffix}`,
        registrationNumber: '',
        legalForm: 'other',
        postcode: 'TS3 7AA',
      }),
    );
    expect(
      (await s.ds.query('SELECT duplicate_of FROM organisations WHERE id = $1', [newer.body.id]))[0].duplicate_of,
    ).toBeNull();
    const renamed = await s.request(
      'PUT',
      `/api/v1/organisations/${older.body.id}`,
      first.token,
      organisationProfile({
        name: `Nuru Circle ${s.suffix}`,
        registrationNumber: '',
        legalForm: 'other',
        postcode: 'TS3 7AA',
      }),
    );
    expect(renamed.status).toBe(200);
    const rows = await s.ds.query('SELECT id, duplicate_of FROM organisations WHERE id = ANY($1) ORDER BY created_at', [
      [older.body.id, newer.body.id],
    ]);
    expect(rows).toEqual([
      { id: older.body.id, duplicate_of: null },
      { id: newer.body.id, duplicate_of: older.body.id },
    ]);
  });

  it('checks registration numbers by their register’s format and lists every profile problem at once', async () => {
    const r = await s.request(
      'POST',
      '/api/v1/organisations',
      second.token,
      organisationProfile({
        registrationNumber: '12',
        postcode: 'nowhere',
        areaCode: 'E99999999',
        communitiesServed: [],
        ledByAndFor: true,
        ledByAndForStatement: '',
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'areaCode',
      'communitiesServed',
      'ledByAndForStatement',
      'postcode',
      'registrationNumber',
    ]);
  });

  it('keeps staff accounts out of self-registration and lets only admins create them', async () => {
    expect(
      (
        await s.request('POST', '/api/v1/users', officer.token, {
          email: 'new@catalyst.example',
          displayName: 'New',
          role: 'officer',
          partnerOrganisationSlug: 'x',
        })
      ).status,
    ).toBe(403);
    const email = `officer-${s.suffix}@catalyst.example`;
    const made = await s.request('POST', '/api/v1/users', admin.token, {
      email,
      displayName: 'New Officer',
      role: 'applicant',
    });
    expect(made).toMatchObject({ status: 400, body: { errors: [{ field: 'role' }] } });
    const slug = (
      await s.ds.query(
        `SELECT p.slug FROM fund_partners fp JOIN partner_organisations p ON p.id = fp.partner_organisation_id WHERE fp.fund_id = $1 AND fp.role = 'managing'`,
        [fundId],
      )
    )[0].slug;
    expect(
      (
        await s.request('POST', '/api/v1/users', admin.token, {
          email,
          displayName: 'New Officer',
          role: 'officer',
          partnerOrganisationSlug: slug,
        })
      ).status,
    ).toBe(201);
    const [u] = await s.ds.query('SELECT role, password_hash FROM users WHERE email = $1', [email]);
    expect(u).toEqual({ role: 'officer', password_hash: null });
    // Registering with a staff address does not touch the staff account.
    await s.api.get(Accounts).register({ email, displayName: 'Imposter', password: 'a long enough password' });
    expect(
      (await s.ds.query('SELECT role, password_hash, display_name FROM users WHERE email = $1', [email]))[0],
    ).toEqual({ role: 'officer', password_hash: null, display_name: 'New Officer' });
  });
});
