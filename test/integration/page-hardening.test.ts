import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts } from '../../libs/identity/src/accounts';
import { PageSession } from '../support/page-session';
import { TestClock } from '../support/test-clock';
import { TestStack, TestUser } from '../support/stack';

const HOUR = 3_600_000;

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

function directive(csp: string, name: string): string {
  return (
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? ''
  );
}

/**
 * The pages' Content-Security-Policy allows no inline script or style (and the views hold none),
 * Swagger UI and Bull Board keep working under theirs, and a session ends twelve hours after
 * its sign-in however active it was.
 */
describe('page hardening', () => {
  let s: TestStack;
  let admin: TestUser;
  let applicant: TestUser;
  const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  const password = 'a long enough passphrase';

  beforeAll(async () => {
    s = await TestStack.start({ worker: false, clock });
    admin = await s.user('admin');
    applicant = await s.user('applicant');
    await s.api.get(Accounts).setVerifiedPassword(applicant.userId, password);
  });

  afterAll(async () => {
    await s?.stop();
  });

  it("sends every page a policy without 'unsafe-inline', and the views carry no inline script or style", async () => {
    const session = new PageSession(s);
    await session.signIn(applicant.email, password);
    for (const path of ['/', '/sign-in', '/register', '/forgot-password', '/account', '/no-such-page']) {
      const res = await fetch(s.baseUrl + path, { headers: { cookie: session.cookie }, redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).not.toContain('unsafe-inline');
      expect(directive(csp, 'script-src')).toBe("script-src 'self'");
      expect(directive(csp, 'style-src')).toBe("style-src 'self'");
      expect(directive(csp, 'script-src-attr')).toBe("script-src-attr 'none'");
    }
    // What the policy would block must not be there: no <script>, <style>, style or on… attribute
    // in any view, nor in the money chart's SVG.
    const sources = [
      ...files(join(__dirname, '../../apps/api/views'), '.hbs'),
      join(__dirname, '../../apps/api/src/portal/money-chart.ts'),
    ];
    const inline = sources.filter((f) => /<script|<style|\sstyle=|\son[a-z]+=/i.test(readFileSync(f, 'utf8')));
    expect(inline).toEqual([]);
  });

  it('keeps Swagger UI and Bull Board working: their scripts are their own files, styles may be inline', async () => {
    for (const [path, headers] of [
      ['/api/docs', {}],
      ['/admin/queues', { authorization: `Bearer ${admin.token}` }],
    ] as const) {
      const res = await fetch(s.baseUrl + path, { headers });
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(directive(csp, 'script-src')).toBe("script-src 'self'");
      expect(directive(csp, 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
      const html = await res.text();
      // No script the policy would block: each is a file of this site (a JSON data block runs nothing).
      const tags = html.match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) {
        if (/type="application\/json"/.test(tag)) continue;
        const src = /src=['"]([^'"]+)['"]/.exec(tag)?.[1];
        expect(src).toBeDefined();
        const url = new URL(src!, `${s.baseUrl}${path.endsWith('/') ? path : `${path}/`}`);
        expect(url.origin).toBe(s.baseUrl);
        const script = await fetch(url, { headers });
        expect(`${url.pathname} ${script.status} ${script.headers.get('content-type')}`).toMatch(
          / 200 (application|text)\/javascript/,
        );
      }
    }
  });

  it('ends a session twelve hours after sign-in, however active', async () => {
    const session = new PageSession(s);
    clock.set('2026-03-02T08:00:00Z');
    await session.signIn(applicant.email, password);
    const kept = session.cookie;
    // Busy all day: the idle timeout never ends it.
    for (const hour of [2, 5, 8, 11]) {
      clock.set(new Date(Date.parse('2026-03-02T08:00:00Z') + hour * HOUR));
      expect((await session.get('/account')).status).toBe(200);
    }
    clock.set(new Date(Date.parse('2026-03-02T08:00:00Z') + 12 * HOUR));
    const expired = await fetch(`${s.baseUrl}/account`, { headers: { cookie: kept }, redirect: 'manual' });
    expect(expired.status).toBe(303);
    expect(expired.headers.get('location')).toMatch(/^\/sign-in/);
    // Gone for good: the old session id is worth nothing afterwards either.
    clock.set(new Date(Date.parse('2026-03-02T08:00:00Z') + 12 * HOUR + 1));
    const again = await fetch(`${s.baseUrl}/account`, { headers: { cookie: kept }, redirect: 'manual' });
    expect(again.status).toBe(303);
    // Signing in again starts a new twelve hours.
    const fresh = new PageSession(s);
    await fresh.signIn(applicant.email, password);
    clock.set(new Date(Date.parse('2026-03-02T08:00:00Z') + 23 * HOUR));
    expect((await fresh.get('/account')).status).toBe(200);
  });

  it('refuses a session that holds no sign-in time (made before the absolute lifetime existed)', async () => {
    const session = new PageSession(s);
    await session.signIn(applicant.email, password);
    expect((await session.get('/account')).status).toBe(200);
    await s.ds.query(`UPDATE sessions SET sess = (sess::jsonb - 'signedInAt')::json WHERE sess->>'userId' = $1`, [
      applicant.userId,
    ]);
    const res = await fetch(`${s.baseUrl}/account`, { headers: { cookie: session.cookie }, redirect: 'manual' });
    expect(res.status).toBe(303);
  });
});
