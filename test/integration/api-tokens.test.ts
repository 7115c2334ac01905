import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../libs/config/src/app-config';
import { UseCaseError } from '../../libs/domain/src/errors/use-case-error';
import { Accounts } from '../../libs/identity/src/accounts';
import { ApiTokens } from '../../libs/identity/src/api-tokens';
import { SecurityLog } from '../../libs/identity/src/security-log';
import { PageSession } from '../support/page-session';
import { TestStack, TestUser } from '../support/stack';

/**
 * Named API tokens (issue 14, item 2) on the running API: each can be revoked, expires, dies with
 * a password reset or "sign out everywhere", and is minted only with the password typed again.
 */
describe('API tokens you can take back', () => {
  let s: TestStack;
  let accounts: Accounts;
  let tokens: ApiTokens;
  const password = 'a long and memorable passphrase';

  beforeAll(async () => {
    s = await TestStack.start();
    accounts = s.api.get(Accounts);
    tokens = s.api.get(ApiTokens);
  });

  afterAll(async () => {
    await s?.stop();
  });

  const person = async (role: 'applicant' | 'admin' = 'applicant'): Promise<TestUser> => {
    const u = await s.user(role);
    await accounts.setVerifiedPassword(u.userId, password);
    return u;
  };
  const actorOf = (u: TestUser, role: 'applicant' | 'admin' = 'applicant') => ({
    userId: u.userId,
    role,
    partnerOrganisationId: null,
  });
  /** An API route any signed-in person may read. */
  const apiStatus = async (token: string) =>
    (await s.request('GET', '/api/v1/me/notification-preferences', token)).status;
  const events = async (kind: string, userId: string) =>
    (
      await s.ds.query(`SELECT detail FROM security_events WHERE kind = $1 AND subject_user_id = $2 ORDER BY id`, [
        kind,
        userId,
      ])
    ).map((r: { detail: unknown }) => r.detail);
  const code = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: UseCaseError) => e.code,
    );

  it('mints a named token with the password, lists it without its secret, and a revoked one gets 401', async () => {
    const u = await person();
    const minted = await tokens.mint(actorOf(u), { name: 'Grants CRM', password }, '10.2.0.1');
    expect(minted.token).toMatch(/^sg_[A-Za-z0-9_-]{32}$/);
    expect(await apiStatus(minted.token)).toBe(200);

    const listed = await s.request('GET', '/api/v1/me/tokens', minted.token);
    expect(listed.status).toBe(200);
    const row = listed.body.items.find((t: { id: string }) => t.id === minted.summary.id);
    expect(row).toMatchObject({ name: 'Grants CRM', lastUsedAt: expect.any(String) });
    const days = (Date.parse(row.expiresAt) - Date.parse(row.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    expect(JSON.stringify(listed.body)).not.toContain(minted.token);
    expect(JSON.stringify(listed.body)).not.toMatch(/[0-9a-f]{64}/); // nor a hash

    const revoked = await s.request('DELETE', `/api/v1/me/tokens/${minted.summary.id}`, u.token);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: minted.summary.id, name: 'Grants CRM', revokedAt: expect.any(String) });
    expect(await apiStatus(minted.token)).toBe(401);
    expect(await apiStatus(u.token)).toBe(200);
    // Twice is harmless, and recorded once.
    const again = await s.request('DELETE', `/api/v1/me/tokens/${minted.summary.id}`, u.token);
    expect(again.body).toEqual(revoked.body);
    expect(await events('token_minted', u.userId)).toEqual([{ name: 'Grants CRM' }]);
    expect(await events('token_revoked', u.userId)).toEqual([{ name: 'Grants CRM' }]);
  });

  it('gives staff tokens 30 days, and an expired token gets 401', async () => {
    const admin = await person('admin');
    const minted = await tokens.mint(actorOf(admin, 'admin'), { name: 'Desk script', password }, null);
    const days = (minted.summary.expiresAt.getTime() - minted.summary.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect(await apiStatus(minted.token)).toBe(200);
    await s.ds.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      minted.summary.id,
    ]);
    expect(await apiStatus(minted.token)).toBe(401);
    expect((await tokens.list(actorOf(admin, 'admin'))).map((t) => t.id)).not.toContain(minted.summary.id);
  });

  it('stamps the last use at most once a minute, however many requests', async () => {
    const u = await person();
    const minted = await tokens.mint(actorOf(u), { name: 'Busy client', password }, null);
    const lastUsed = async () =>
      (await s.ds.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [minted.summary.id]))[0].last_used_at;
    expect(await lastUsed()).toBeNull();
    await apiStatus(minted.token);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await apiStatus(minted.token);
    expect(await lastUsed()).toEqual(first);
    await s.ds.query(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [
      minted.summary.id,
    ]);
    await apiStatus(minted.token);
    expect((await lastUsed()).getTime()).toBeGreaterThan(Date.now() - 30_000);
  });

  it('refuses to mint without the right password, or with a name that is not a plain label', async () => {
    const u = await person();
    const count = async () =>
      (await s.ds.query(`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1`, [u.userId]))[0].n;
    const before = await count();
    expect(await code(tokens.mint(actorOf(u), { name: 'Guess', password: 'not the passphrase' }, null))).toBe(
      'password_not_right',
    );
    expect(await code(tokens.mint(actorOf(u), { name: 'Guess', password: '' }, null))).toBe('password_not_right');
    expect(await code(tokens.mint(actorOf(u), { name: 'https://evil.example', password }, null))).toBe(
      'validation_failed',
    );

    // The page: the form again with the problem, and no token.
    const page = new PageSession(s);
    await page.signIn(u.email, password);
    const wrong = await page.post('/account/api-tokens', { name: 'From the page', password: 'wrong one' }, '/account');
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Your password is not right');
    expect(wrong.html).not.toContain('id="api-token"');
    expect(await count()).toBe(before);
    expect(await events('token_minted', u.userId)).toEqual([]);

    const right = await page.post('/account/api-tokens', { name: 'From the page', password }, '/account');
    expect(right.status).toBe(200);
    const token = /<code id="api-token">([^<]+)<\/code>/.exec(right.html)![1];
    expect(await apiStatus(token)).toBe(200);
    // Shown once: the page does not show it again.
    expect((await page.get('/account')).html).not.toContain(token);
    expect((await page.get('/account')).html).toContain('From the page');
  });

  it('does not let one person revoke another’s token: 404 on the API and the page', async () => {
    const owner = await person();
    const other = await person();
    const minted = await tokens.mint(actorOf(owner), { name: 'Mine', password }, null);
    expect((await s.request('DELETE', `/api/v1/me/tokens/${minted.summary.id}`, other.token)).status).toBe(404);
    expect((await s.request('DELETE', `/api/v1/me/tokens/not-a-uuid`, other.token)).status).toBe(404);
    const page = new PageSession(s);
    await page.signIn(other.email, password);
    const res = await page.post(`/account/api-tokens/${minted.summary.id}/revoke`, {}, '/account');
    expect(res.status).toBe(404);
    expect(await apiStatus(minted.token)).toBe(200);
    expect(await events('token_revoked', owner.userId)).toEqual([]);

    // The owner can, from the page.
    const mine = new PageSession(s);
    await mine.signIn(owner.email, password);
    const done = await mine.post(`/account/api-tokens/${minted.summary.id}/revoke`, {}, '/account');
    expect(done.status).toBe(303);
    expect(await apiStatus(minted.token)).toBe(401);
  });

  it('drops every token and session with a password reset', async () => {
    const u = await person();
    const minted = await tokens.mint(actorOf(u), { name: 'Before the reset', password }, null);
    const page = new PageSession(s);
    await page.signIn(u.email, password);
    expect((await page.get('/account')).status).toBe(200);
    expect(await apiStatus(minted.token)).toBe(200);

    await accounts.requestPasswordReset(u.email);
    await s.smtp.waitFor(() => s.smtp.to(u.email).some((m) => /Reset your/.test(m.subject)));
    const link = /\/reset-password\/([A-Za-z0-9_-]{20,})/.exec(
      s.smtp.to(u.email).find((m) => /Reset your/.test(m.subject))!.text,
    )![1];
    await accounts.resetPassword(link, 'an entirely new passphrase', '10.2.0.9');

    expect(await apiStatus(minted.token)).toBe(401);
    expect(await apiStatus(u.token)).toBe(401);
    expect((await page.get('/account')).status).toBe(303);
    const [reset] = await s.ds.query(
      `SELECT actor_user_id, address, detail FROM security_events WHERE kind = 'password_reset' AND subject_user_id = $1`,
      [u.userId],
    );
    expect(reset).toEqual({ actor_user_id: null, address: '10.2.0.9', detail: { sessions: 1, tokens: 2 } });
    const reasons = await s.ds.query(`SELECT DISTINCT revoked_reason FROM api_tokens WHERE user_id = $1`, [u.userId]);
    expect(reasons).toEqual([{ revoked_reason: 'password_reset' }]);
  });

  it('signs out everywhere from the page: another open session ends, and every token is revoked', async () => {
    const u = await person();
    const minted = await tokens.mint(actorOf(u), { name: 'Laptop', password }, null);
    const elsewhere = new PageSession(s);
    await elsewhere.signIn(u.email, password);
    const here = new PageSession(s);
    await here.signIn(u.email, password);
    expect((await elsewhere.get('/account')).status).toBe(200);

    const res = await here.post('/account/sign-out-everywhere', {}, '/account');
    expect(res.status).toBe(200);
    expect(res.html).toContain('You are signed out everywhere');

    const next = await elsewhere.get('/account');
    expect(next.status).toBe(303);
    expect((await here.get('/account')).status).toBe(303);
    expect(await apiStatus(minted.token)).toBe(401);
    expect(await apiStatus(u.token)).toBe(401);
    expect(await events('signed_out_everywhere', u.userId)).toEqual([{ sessions: 2, tokens: 2 }]);
    // The password still works: the person signs in again.
    await here.signIn(u.email, password);
  });

  it('accepts development tokens outside production only; production takes only the sg_ shape', async () => {
    const u = await person();
    const dev = `dev-test-${randomBytes(4).toString('hex')}-token`;
    await tokens.upsertUser({ email: u.email, displayName: 'Test applicant', role: 'applicant', token: dev });
    expect(await tokens.authenticate(dev)).toMatchObject({ userId: u.userId });
    const config = s.api.get(AppConfig);
    const production = new ApiTokens(
      s.ds,
      Object.assign(new AppConfig(), config, { NODE_ENV: 'production' }),
      accounts,
      s.api.get(SecurityLog),
    );
    expect(await production.authenticate(dev)).toBeNull();
    expect(await production.authenticate(u.token)).toMatchObject({ userId: u.userId });
    expect(await production.authenticate(`sg_${'x'.repeat(32)}`)).toBeNull();
  });
});
