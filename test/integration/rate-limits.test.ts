import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { UseCaseError } from '../../libs/domain/src/errors/use-case-error';
import { Accounts } from '../../libs/identity/src/accounts';
import { PageSession } from '../support/page-session';
import { TestStack } from '../support/stack';

/**
 * Rate limits on real Redis (keys under a QUEUE_PREFIX of this file's own) and the per-account sign-in delay
 * on PostgreSQL. The rest of the suite runs with limits raised (global-setup); this file sets the
 * deployment's defaults for sign-in, and low ones where the default would take long to reach.
 */
describe('rate limits', () => {
  let s: TestStack;
  let accounts: Accounts;
  const saved = { ...process.env };

  beforeAll(async () => {
    Object.assign(process.env, {
      RATE_LIMIT_SIGN_IN: '50',
      RATE_LIMIT_EMAIL_FORMS: '3',
      RATE_LIMIT_INVITATIONS: '3',
      RATE_LIMIT_TOKEN_MINTING: '3',
      RATE_LIMIT_API: '5',
      // Counters of its own: the suites running beside it sign in from 127.0.0.1 too.
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'sgtest'}-limits`,
    });
    s = await TestStack.start();
    accounts = s.api.get(Accounts);
  });

  afterAll(async () => {
    await s?.stop();
    process.env = saved;
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: UseCaseError) => e,
    );
  const newApplicant = async (password: string) => {
    const u = await s.user('applicant');
    await accounts.setVerifiedPassword(u.userId, password);
    return u;
  };

  it('makes the 6th attempt on one account wait, tells the owner once, and lets the owner in by a reset', async () => {
    const password = 'the owner knows this passphrase';
    const owner = await newApplicant(password);
    // Five wrong guesses from five addresses: spreading them does not help.
    for (let i = 0; i < 5; i++) {
      const e = await refusal(accounts.signIn(owner.email, `guess number ${i}`, `203.0.113.${i}`));
      expect(e?.code).toBe('bad_credentials');
    }
    const sixth = await refusal(accounts.signIn(owner.email, password, '203.0.113.99'));
    expect(sixth?.code).toBe('too_many_attempts');
    expect(sixth?.message).toMatch(/Wait (2\d|30) seconds before trying again, or reset your password/);

    // The owner hears of it once, with a working reset link.
    const warned = () => s.smtp.to(owner.email).filter((m) => /Wrong passwords tried/.test(m.subject));
    await s.smtp.waitFor(() => warned().length === 1);
    // The wait passes (failures aged by a minute) and the guesser fails again: no second email.
    await s.ds.query(`UPDATE sign_in_failures SET failed_at = failed_at - interval '1 minute' WHERE account_key = $1`, [
      owner.email,
    ]);
    expect((await refusal(accounts.signIn(owner.email, 'guess number 6', '203.0.113.6')))?.code).toBe(
      'bad_credentials',
    );
    const seventh = await refusal(accounts.signIn(owner.email, password, '203.0.113.99'));
    expect(seventh?.message).toMatch(/Wait (5\d|60) seconds/);
    await new Promise((r) => setTimeout(r, 1500)); // the outbox relay polls every 200 ms in tests
    expect(warned()).toHaveLength(1);
    expect(warned()[0].text).toMatch(/your account is not locked/);

    // The owner does not have to wait: the emailed link resets the password, and sign-in works at once.
    const token = /http:\/\/grants\.test\/reset-password\/([A-Za-z0-9_-]{20,})/.exec(warned()[0].text)![1];
    await accounts.resetPassword(token, 'a fresh passphrase for the owner');
    expect((await accounts.signIn(owner.email, 'a fresh passphrase for the owner', '203.0.113.99')).email).toBe(
      owner.email,
    );
  });

  it('shows the wait on the sign-in page with 429 and an error summary', async () => {
    const owner = await newApplicant('another owner passphrase');
    for (let i = 0; i < 5; i++) await refusal(accounts.signIn(owner.email, `guess ${i}`, '203.0.113.50'));
    const page = await new PageSession(s).post('/sign-in', { email: owner.email, password: 'guess 6' });
    expect(page.status).toBe(429);
    expect(page.html).toContain('govuk-error-summary');
    expect(page.html).toMatch(/too many wrong passwords for this account/);
  });

  it('limits the JSON API per token: 429 problem+json with Retry-After, other tokens unaffected', async () => {
    const a = await s.user('applicant');
    const b = await s.user('applicant');
    for (let i = 0; i < 5; i++) expect((await s.request('GET', '/api/v1/organisations', a.token)).status).toBe(200);
    const over = await s.request('GET', '/api/v1/organisations', a.token);
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(over.body).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect((await s.request('GET', '/api/v1/organisations', b.token)).status).toBe(200);
    // The health check is not counted: load balancers call it from one address all day.
    for (let i = 0; i < 7; i++) expect((await s.request('GET', '/api/health', null)).status).toBe(200);
  });

  it('limits the forms that send email: the 4th request for a reset link in an hour gets the error page', async () => {
    const page = new PageSession(s);
    const email = `someone-${randomBytes(3).toString('hex')}@test.example`;
    for (let i = 0; i < 3; i++) expect((await page.post('/forgot-password', { email })).status).toBe(200);
    const over = await page.post('/forgot-password', { email });
    expect(over.status).toBe(429);
    expect(over.html).toMatch(/Too many attempts/);
    expect(over.html).toMatch(/Wait 60 minute\(s\)/);
  });

  it('limits invitations per token on the API, counted before the request is looked at', async () => {
    const owner = await s.user('applicant');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await s.request('POST', `/api/v1/organisations/${randomUUID()}/invitations`, owner.token, {
        email: `invitee-${i}@test.example`,
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
  });

  // Last: it uses up this file's sign-in allowance for 127.0.0.1. It needs the API to trust no
  // proxy by default (TRUSTED_PROXIES, issue 14 item 4): with `trustProxy: true` each spoofed
  // header would count as a new client, and this test fails, as it should.
  it('refuses the 51st sign-in from one address, and a spoofed X-Forwarded-For changes nothing', async () => {
    // Start from no sign-ins from 127.0.0.1 (the page test above made one).
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${process.env.QUEUE_PREFIX}:rate-limit:*sign-in:address:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      await redis.quit();
    }
    const page = new PageSession(s);
    const statuses: number[] = [];
    for (let i = 1; i <= 51; i++) {
      const csrf = await page.csrf('/sign-in');
      const res = await fetch(`${s.baseUrl}/sign-in`, {
        method: 'POST',
        headers: {
          cookie: page.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          // Each from a "different" client: only a trusted proxy may say so, and there is none.
          'x-forwarded-for': `198.51.100.${i}`,
        },
        body: new URLSearchParams({ email: `nobody-${i}@test.example`, password: 'not it', _csrf: csrf }).toString(),
        redirect: 'manual',
      });
      statuses.push(res.status);
      if (i === 51) {
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
        expect(await res.text()).toMatch(/Too many attempts/);
      }
    }
    expect(statuses.slice(0, 50).every((st) => st === 400)).toBe(true);
    expect(statuses[50]).toBe(429);
    // Fastify's own view of the client, as in-process requests show it: the header is not believed.
    const seen = await s.api
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: '/sign-in', headers: { 'x-forwarded-for': '192.0.2.1' } });
    expect(seen.statusCode).toBe(429);
  });
});
