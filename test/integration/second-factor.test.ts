import { AppConfig } from '../../libs/config/src';
import { Accounts } from '../../libs/identity/src/accounts';
import { PageSession } from '../support/page-session';
import { authenticatorCode, secretFromPage } from '../support/second-factor';
import { TestStack, TestUser } from '../support/stack';

const MINUTE = 60_000;
const otherThan = (code: string) => (code === '123456' ? '654321' : '123456');

/**
 * Staff's second factor over HTTP, with STAFF_SECOND_FACTOR=required: enrolment is forced after the
 * password, a code is accepted once, a recovery code once, wrong codes are throttled with the
 * password's throttle, and admin actions ask again after 15 minutes.
 */
describe('second factor for staff', () => {
  let s: TestStack;
  /** The API's clock runs `ahead` ms in front of real time: step-up tests move it. */
  let ahead = 0;
  const now = () => Date.now() + ahead;
  const password = 'a staff passphrase for codes';

  beforeAll(async () => {
    s = await TestStack.start({ worker: false, secondFactor: 'required', clock: { now: () => new Date(now()) } });
  });

  afterAll(async () => {
    await s?.stop();
  });

  afterEach(() => {
    ahead = 0;
    s.api.get(AppConfig).STAFF_SECOND_FACTOR = 'required';
  });

  async function staff(role: 'officer' | 'admin' = 'officer'): Promise<TestUser> {
    const u = await s.user(role, role === 'admin' ? undefined : `catalyst-${s.suffix}`);
    await s.api.get(Accounts).setVerifiedPassword(u.userId, password);
    return u;
  }

  /** Signs in with the password (forced to enrolment), enrols, and returns the secret and recovery codes. */
  async function enrolled(u: TestUser): Promise<{ p: PageSession; secret: Uint8Array; codes: string[] }> {
    const p = new PageSession(s);
    const r = await p.post('/sign-in', { email: u.email, password }, '/sign-in');
    expect(r.location).toBe('/account/second-factor');
    const form = await p.get('/account/second-factor');
    const secret = secretFromPage(form.html);
    const done = await p.post('/account/second-factor', { code: await authenticatorCode(secret, now()) });
    expect(done.status).toBe(200);
    const codes = [...done.html.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    return { p, secret, codes };
  }

  async function passwordThenCode(u: TestUser, code: string): Promise<{ p: PageSession; status: number }> {
    const p = new PageSession(s);
    const r = await p.post('/sign-in', { email: u.email, password }, '/sign-in');
    expect(r.location).toBe('/sign-in/code');
    const c = await p.post('/sign-in/code', { code }, '/sign-in/code');
    return { p, status: c.status };
  }

  async function events(userId: string): Promise<{ kind: string; detail: unknown }[]> {
    return s.ds.query(`SELECT kind, detail FROM security_events WHERE subject_user_id = $1 ORDER BY id`, [userId]);
  }

  beforeAll(async () => {
    // Officers work for a partner: the pilot fund creates the managing one.
    const admin = await s.user('admin');
    const created = await s.request('POST', '/api/v1/funds', admin.token, s.pilotDefinition());
    expect(created.status).toBe(201);
  });

  it('forces enrolment after the password: nothing else until a code confirms it, then ten recovery codes once', async () => {
    const u = await staff();
    const p = new PageSession(s);
    const r = await p.post('/sign-in', { email: u.email, password }, '/sign-in');
    expect(r).toMatchObject({ status: 303, location: '/account/second-factor' });
    // Pending, not signed in: every other page sends the person to sign in.
    expect((await p.get('/account')).status).toBe(303);
    expect((await p.get('/invitations/any-link')).status).toBe(303);
    expect((await p.get('/sign-in/code')).status).toBe(303);

    const form = await p.get('/account/second-factor');
    expect(form.status).toBe(200);
    expect(form.html).toContain('<svg role="img"');
    const secret = secretFromPage(form.html);
    const wrong = await p.post('/account/second-factor', { code: otherThan(await authenticatorCode(secret)) });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('govuk-error-summary');
    expect((await p.get('/account')).status).toBe(303);

    const done = await p.post('/account/second-factor', { code: await authenticatorCode(secret) });
    expect(done.status).toBe(200);
    const codes = [...done.html.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await p.get('/account')).status).toBe(200);
    // Shown once: the status page counts them but never shows them again.
    const status = await p.get('/account/second-factor');
    expect(status.html).toContain('Recovery codes you have not used: 10');
    expect(status.html).not.toContain(codes[0]);

    // Only hashes and an encrypted secret are stored.
    const [row] = await s.ds.query(`SELECT secret_encrypted FROM second_factors WHERE user_id = $1`, [u.userId]);
    expect(Buffer.from(row.secret_encrypted).includes(Buffer.from(secret))).toBe(false);
    const hashes = await s.ds.query(`SELECT code_hash FROM recovery_codes WHERE user_id = $1`, [u.userId]);
    expect(hashes).toHaveLength(10);
    expect(JSON.stringify(hashes)).not.toContain(codes[0].replace(/-/g, ''));
    const kinds = (await events(u.userId)).map((e) => e.kind);
    expect(kinds).toEqual(['second_factor_enrolled', 'sign_in_succeeded']);
  });

  it('ends a staff session that never passed a second factor once it is required', async () => {
    const u = await staff();
    s.api.get(AppConfig).STAFF_SECOND_FACTOR = 'optional';
    const p = new PageSession(s);
    const r = await p.post('/sign-in', { email: u.email, password }, '/sign-in');
    expect(r.location).toBe('/');
    expect((await p.get('/account')).status).toBe(200);
    s.api.get(AppConfig).STAFF_SECOND_FACTOR = 'required';
    expect((await p.get('/account')).status).toBe(303);
  });

  it('accepts a code once: the same code in another session is refused, the next one is not', async () => {
    const u = await staff();
    const { secret } = await enrolled(u);
    // The enrolling code's step is used; the next step's code signs in (a clock a little ahead).
    const next = await authenticatorCode(secret, now() + 30_000);
    const first = await passwordThenCode(u, next);
    expect(first.status).toBe(303);
    expect((await first.p.get('/account')).status).toBe(200);
    const replay = await passwordThenCode(u, next);
    expect(replay.status).toBe(400);
    expect((await replay.p.get('/account')).status).toBe(303);
    const kinds = (await events(u.userId)).map((e) => e.kind);
    expect(kinds.slice(-3)).toEqual(['second_factor_used', 'sign_in_succeeded', 'second_factor_failed']);
  });

  it('accepts a recovery code once, typed in any case and spacing', async () => {
    const u = await staff();
    const { codes } = await enrolled(u);
    const typed = codes[3].toLowerCase().replace(/-/g, ' ');
    const first = await passwordThenCode(u, typed);
    expect(first.status).toBe(303);
    expect((await first.p.get('/account')).status).toBe(200);
    expect((await first.p.get('/account/second-factor')).html).toContain('Recovery codes you have not used: 9');
    const again = await passwordThenCode(u, codes[3]);
    expect(again.status).toBe(400);
    expect((await again.p.get('/account')).status).toBe(303);
    const recorded = await events(u.userId);
    expect(recorded.map((e) => e.kind)).toContain('recovery_code_used');
    expect(JSON.stringify(recorded)).not.toContain(codes[3]);
  });

  it('is reset by another administrator after a lost phone: signed out, token revoked, enrolment again at the next sign-in', async () => {
    const u = await staff();
    const { p } = await enrolled(u);
    expect((await p.get('/account')).status).toBe(200);
    const admin = await staff('admin');
    // Not one's own, and only by an administrator.
    expect((await s.request('POST', `/api/v1/users/${admin.userId}/second-factor/reset`, admin.token)).status).toBe(
      409,
    );
    expect((await s.request('POST', `/api/v1/users/${u.userId}/second-factor/reset`, u.token)).status).toBe(403);
    const reset = await s.request('POST', `/api/v1/users/${u.userId}/second-factor/reset`, admin.token);
    expect(reset.status).toBe(200);
    // Everything the person held is gone at once: the open session, the token, the old authenticator.
    expect((await p.get('/account')).status).toBe(303);
    expect((await s.request('GET', '/api/v1/me/tokens', u.token)).status).toBe(401);
    const again = new PageSession(s);
    const r = await again.post('/sign-in', { email: u.email, password }, '/sign-in');
    expect(r.location).toBe('/account/second-factor');
    // Nothing left to reset now.
    expect((await s.request('POST', `/api/v1/users/${u.userId}/second-factor/reset`, admin.token)).status).toBe(409);
    const recorded = await s.ds.query(
      `SELECT actor_user_id FROM security_events WHERE kind = 'second_factor_reset' AND subject_user_id = $1`,
      [u.userId],
    );
    expect(recorded).toEqual([{ actor_user_id: admin.userId }]);
  });

  it('counts wrong codes with the sign-in throttle', async () => {
    const u = await staff();
    const { secret } = await enrolled(u);
    const p = new PageSession(s);
    await p.post('/sign-in', { email: u.email, password }, '/sign-in');
    const right = await authenticatorCode(secret, now() + 30_000);
    const wrong = otherThan(right);
    for (let i = 0; i < 5; i++) expect((await p.post('/sign-in/code', { code: wrong })).status).toBe(400);
    const refused = await p.post('/sign-in/code', { code: right });
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many wrong attempts');
    expect((await p.get('/account')).status).toBe(303);
  });

  it('sets up a new app only after a fresh check, and the old recovery codes then stop working', async () => {
    const u = await staff();
    const { p, codes } = await enrolled(u);
    ahead = 16 * MINUTE;
    const ask = await p.get('/account/second-factor?new=1');
    expect(ask).toMatchObject({ status: 303 });
    const next = '/sign-in/code?next=%2Faccount%2Fsecond-factor%3Fnew%3D1';
    const stepUp = await p.post(next, { code: codes[0] }, next);
    expect(stepUp).toMatchObject({ status: 303, location: '/account/second-factor?new=1' });
    const form = await p.get('/account/second-factor?new=1');
    const secret = secretFromPage(form.html);
    const done = await p.post(
      '/account/second-factor',
      { code: await authenticatorCode(secret, now()) },
      '/account/second-factor?new=1',
    );
    expect(done.status).toBe(200);
    expect((await passwordThenCode(u, codes[1])).status).toBe(400);
    expect((await passwordThenCode(u, await authenticatorCode(secret, now() + 30_000))).status).toBe(303);
  });

  it('asks an administrator for a code again on the queue board when the last one is over 15 minutes old', async () => {
    const u = await staff('admin');
    const { p, secret } = await enrolled(u);
    expect((await p.get('/admin/queues')).status).toBe(200);
    ahead = 16 * MINUTE;
    const stale = await p.get('/admin/queues');
    expect(stale.status).toBe(303);
    const res = await fetch(`${s.baseUrl}/admin/queues/api/queues`, {
      headers: { cookie: p.cookie },
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('second_factor_required');
    const ask = await p.get('/sign-in/code?next=%2Fadmin%2Fqueues');
    expect(ask.status).toBe(200);
    const r = await p.post(
      '/sign-in/code?next=%2Fadmin%2Fqueues',
      { code: await authenticatorCode(secret, now()) },
      '/sign-in/code?next=%2Fadmin%2Fqueues',
    );
    expect(r).toMatchObject({ status: 303, location: '/admin/queues' });
    expect((await p.get('/admin/queues')).status).toBe(200);
  });
});
