import { randomBytes } from 'node:crypto';
import { createFund } from '../support/funds';
import { PageSession } from '../support/page-session';
import { organisationProfile } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

/**
 * The service cannot be made to email someone a link or a list of strangers: names refuse web and
 * email addresses, every address typed is exactly one mailbox, and subjects carry nothing typed by
 * a person. Each refusal is a field problem (API) or a field error on the form (pages).
 */
describe('email abuse', () => {
  let s: TestStack;
  let applicant: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    s = await TestStack.start();
    applicant = await s.user('applicant');
    admin = await s.user('admin');
    await createFund(s); // its definition brings the areas an organisation names
  });

  afterAll(async () => {
    await s?.stop();
  });

  const fieldsOf = (body: { errors?: { field: string }[] }) => [...new Set((body.errors ?? []).map((e) => e.field))];

  it('refuses a registration whose name holds a link or whose address is a list, field by field', async () => {
    const page = new PageSession(s);
    const r = await page.post('/register', {
      email: 'a@b.c,x',
      displayName: 'Claim your grant at www.evil.example',
      password: 'a long enough passphrase',
    });
    expect(r.status).toBe(400);
    expect(r.html).toContain('govuk-error-summary');
    expect(r.html).toContain('href="#email"');
    expect(r.html).toContain('href="#displayName"');
    expect(r.html).toContain('A name cannot contain a web or email address');
    const [{ n }] = await s.ds.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'a@b.c%'`);
    expect(n).toBe(0);
  });

  it('refuses a forgotten-password request for anything but one mailbox', async () => {
    const r = await new PageSession(s).post('/forgot-password', { email: 'someone@test.example, other@test.example' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('href="#email"');
  });

  it('refuses organisation names with links, and invitations to lists or named addresses', async () => {
    for (const name of ['http://evil.example', 'Women’s Group evil.example', 'Group (contact x@evil.example)']) {
      const r = await s.request('POST', '/api/v1/organisations', applicant.token, organisationProfile({ name }));
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toContain('name');
    }
    const org = await s.request('POST', '/api/v1/organisations', applicant.token, organisationProfile());
    expect(org.status).toBe(201);
    for (const email of [
      'a@b.co,x@evil.example',
      'Evil <x@evil.example>',
      '"x y"@evil.example',
      'x@evil.example (hi)',
    ]) {
      const r = await s.request('POST', `/api/v1/organisations/${org.body.id}/invitations`, applicant.token, { email });
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toEqual(['email']);
    }
  });

  it('sends an invitation whose subject names no one, to exactly one recipient', async () => {
    const name = `Subject Test Group ${randomBytes(3).toString('hex')}`;
    const org = await s.request('POST', '/api/v1/organisations', applicant.token, organisationProfile({ name }));
    const invitee = `invitee-${randomBytes(3).toString('hex')}@test.example`;
    const r = await s.request('POST', `/api/v1/organisations/${org.body.id}/invitations`, applicant.token, {
      email: invitee,
    });
    expect(r.status).toBe(201);
    await s.smtp.waitFor(() => s.smtp.to(invitee).length > 0);
    const [mail] = s.smtp.to(invitee);
    expect(mail.subject).toBe('You are invited to join an organisation on Small Grants');
    expect(mail.to).toEqual([invitee]);
    expect(mail.text).toContain(name);
  });

  it('refuses a staff account whose name holds a link or whose address is not one mailbox', async () => {
    const base = { role: 'admin' };
    const link = await s.request('POST', '/api/v1/users', admin.token, {
      ...base,
      email: `staff-${s.suffix}@test.example`,
      displayName: 'See https://evil.example',
    });
    expect(link.status).toBe(400);
    expect(fieldsOf(link.body)).toEqual(['displayName']);
    const list = await s.request('POST', '/api/v1/users', admin.token, {
      ...base,
      email: `staff-${s.suffix}@test.example,other@evil.example`,
      displayName: 'New Admin',
    });
    expect(list.status).toBe(400);
    expect(fieldsOf(list.body)).toEqual(['email']);
  });
});
