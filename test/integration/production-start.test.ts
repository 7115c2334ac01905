import { randomBytes } from 'node:crypto';
import { ApiTokens, DEVELOPMENT_USERS, publishedCredentialProblems, revokeAllAccessOf } from '../../libs/identity/src';
import { runToExit, spawnApi } from '../support/processes';
import { TestStack } from '../support/stack';

/**
 * Production cannot start unsafe: the built API and worker, started with NODE_ENV unset (which
 * means production), refuse to start while the database holds a development user or token, the
 * session secret is weak, SMTP_URL is unset or PUBLIC_URL is not https, and say how to fix each,
 * all at once. With all of it fixed, the same API starts.
 */
describe('a production start', () => {
  let s: TestStack;
  const admin = DEVELOPMENT_USERS.find((u) => u.role === 'admin')!;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const strongSecret = randomBytes(32).toString('base64url');
  /** NODE_ENV unset: production. Everything else from the test run unless given. */
  const production = (env: Record<string, string | undefined>) => ({
    NODE_ENV: undefined,
    PORT: String(port),
    DATABASE_URL: process.env.DATABASE_URL,
    SCHEDULED_JOBS: 'off',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const safe = { SESSION_SECRET: strongSecret, PUBLIC_URL: 'https://grants.example.org' };

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
  });

  /** Deletes development users (and their tokens), as the operator told to would. */
  const deleteUsers = async (emails: string[]) => {
    const lower = emails.map((e) => e.toLowerCase());
    await s.ds.query(
      'DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE lower(email) = ANY($1::text[]))',
      [lower],
    );
    await s.ds.query('DELETE FROM users WHERE lower(email) = ANY($1::text[])', [lower]);
  };

  afterAll(async () => {
    await deleteUsers(DEVELOPMENT_USERS.map((u) => u.email));
    await s?.stop();
  });

  it('finds the development users by email and their tokens on any account', async () => {
    expect(await publishedCredentialProblems(s.ds)).toEqual([]);
    const someone = await s.user('applicant');
    expect(await publishedCredentialProblems(s.ds)).toEqual([]);
    // A published token copied onto a real account is found, though no development user exists.
    await s.api.get(ApiTokens).upsertUser({ ...admin, email: someone.email, role: 'applicant' });
    const lines = await publishedCredentialProblems(s.ds);
    expect(lines).toEqual([expect.stringMatching(/^DATABASE_URL: 1 API token\(s\) .*development API token/)]);
    // Revoked, it is no longer a way in.
    await s.ds.transaction((m) => revokeAllAccessOf(m, someone.userId, 'signed_out_everywhere'));
    expect(await publishedCredentialProblems(s.ds)).toEqual([]);
  });

  it('refuses, naming each variable and its fix, with a development user, a weak secret, no SMTP_URL and an http PUBLIC_URL', async () => {
    await s.api.get(ApiTokens).upsertUser(admin);
    const { code, output } = await runToExit(
      'api',
      production({ SESSION_SECRET: undefined, SMTP_URL: undefined, PUBLIC_URL: 'http://grants.example.org' }),
    );
    expect(code).toBe('1');
    expect(output).not.toContain('api ready');
    const lines = output.split('\n').map((l) => l.trim());
    // One line each, all at once.
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SESSION_SECRET: weak .*set 32 or more random characters/),
        expect.stringMatching(/^SMTP_URL: unset.*set SMTP_URL=smtps:\/\//),
        expect.stringMatching(/^PUBLIC_URL: http:\/\/grants.example.org is not https; set .*PUBLIC_URL=https:\/\//),
        expect.stringMatching(
          new RegExp(`^DATABASE_URL: the database holds development users \\(${admin.email}\\).*delete them`),
        ),
        expect.stringMatching(/^DATABASE_URL: 1 API token\(s\) .*development API token.*revoke/),
      ]),
    );
  });

  it('refuses a secret of too few different characters, and a worker refuses as the API does', async () => {
    await s.api.get(ApiTokens).upsertUser(admin);
    const { code, output } = await runToExit(
      'worker',
      production({ ...safe, SESSION_SECRET: 'ab'.repeat(24), SMTP_URL: undefined }),
    );
    expect(code).toBe('1');
    expect(output).not.toContain('worker ready');
    expect(output).toMatch(/^\s*SESSION_SECRET: weak/m);
    expect(output).toMatch(/^\s*SMTP_URL: unset/m);
    expect(output).toMatch(/^\s*DATABASE_URL: the database holds development users/m);
    expect(output).not.toMatch(/PUBLIC_URL:/);
  });

  it('refuses the development users flag in production', async () => {
    const { code, output } = await runToExit('api', production({ ...safe, DEVELOPMENT_USERS: 'on' }));
    expect(code).toBe('1');
    expect(output).toMatch(/^\s*DEVELOPMENT_USERS: .*only with NODE_ENV=development/m);
  });

  it('starts once every problem is fixed, believing X-Forwarded-Proto only from TRUSTED_PROXIES', async () => {
    await deleteUsers([admin.email]);
    const api = await spawnApi(production({ ...safe, TRUSTED_PROXIES: '127.0.0.1/32' }));
    try {
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
      // Production's session cookie carries the __Host- prefix (Secure, Path=/, no Domain); being
      // Secure, it is sent only over https, which the trusted proxy (this test) says it is.
      const viaProxy = await fetch(`http://127.0.0.1:${port}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
      const cookie = viaProxy.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^__Host-sg_session=[^;]+;/);
      expect(cookie).toMatch(/; Path=\/(;|$)/);
      expect(cookie).toMatch(/; Secure(;|$)/);
      expect(cookie).not.toMatch(/Domain=/i);
      const direct = await fetch(`http://127.0.0.1:${port}/sign-in`);
      expect(direct.headers.get('set-cookie')).toBeNull();
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  });
});
