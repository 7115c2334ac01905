import { Accounts } from '../../libs/identity/src/accounts';
import { awaitingDecision, createFund, SIGNED } from '../support/funds';
import { PageSession } from '../support/page-session';
import { reportAnswers } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

const ANY_ID = '00000000-0000-4000-8000-000000000000';

/** Every route Fastify serves, as "METHOD /path", read from its own route tree. */
function routeTable(s: TestStack): { method: string; path: string }[] {
  const text = s.api.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const routes: { method: string; path: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /(\/\S*) \(([A-Z, ]+)\)/.exec(line);
    if (m) for (const method of m[2].split(', ')) routes.push({ method, path: m[1] });
  }
  return routes;
}

/**
 * Attack surface checks on the running product: CSRF on every page form (from the route table),
 * session fixation, security headers, and the audit trail (every state change and money entry has
 * an event with its actor; the event and ledger tables refuse UPDATE, DELETE and TRUNCATE).
 */
describe('security checks', () => {
  let s: TestStack;
  const password = 'security test passphrase';

  beforeAll(async () => {
    s = await TestStack.start();
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('refuses every page form posted without its CSRF token, signed in or not, and changes nothing', async () => {
    const applicant = await s.user('applicant');
    await s.api.get(Accounts).setVerifiedPassword(applicant.userId, password);
    const session = new PageSession(s);
    await session.signIn(applicant.email, password);
    const forms = routeTable(s).filter(
      (r) => r.method === 'POST' && !r.path.startsWith('/api/') && !r.path.startsWith('/admin/queues'),
    );
    expect(forms.length).toBeGreaterThanOrEqual(30);
    // What these posts could have written, and nothing another suite running alongside writes.
    const fingerprint = () =>
      s.ds.query(
        `SELECT (SELECT count(*) FROM events WHERE actor_user_id = $1) AS e, (SELECT count(*) FROM users WHERE lower(email) = 'someone@test.example') AS u,
                (SELECT count(*) FROM organisations WHERE created_by = $1) AS o, (SELECT count(*) FROM applications WHERE created_by = $1) AS a,
                (SELECT count(*) FROM sign_in_failures WHERE lower(account_key) = 'someone@test.example') AS f`,
        [applicant.userId],
      );
    const before = await fingerprint();
    const refused: string[] = [];
    for (const { path } of forms) {
      const url = path.replace(/:(\w+)/g, (_, name: string) =>
        name === 'action'
          ? 'submit'
          : name === 'token'
            ? 'not-a-token'
            : name === 'slug'
              ? 'cleveland-small-grants-pilot'
              : ANY_ID,
      );
      for (const cookie of [session.cookie, '']) {
        const res = await fetch(s.baseUrl + url, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'email=someone%40test.example&password=x&name=Attacker',
          redirect: 'manual',
        });
        if (res.status === 403) refused.push(`${path}${cookie ? '' : ' (anonymous)'}`);
        else throw new Error(`${url} answered ${res.status} without a CSRF token`);
      }
    }
    expect(refused).toHaveLength(forms.length * 2);
    expect(await fingerprint()).toEqual(before);
    console.log(
      `CSRF: ${forms.length} page forms × signed in and anonymous = ${refused.length} posts without a token, all 403`,
    );
  });

  it('gives a new session id at sign-in, so a planted session id is worth nothing', async () => {
    const user = await s.user('applicant');
    await s.api.get(Accounts).setVerifiedPassword(user.userId, password);
    const attacker = new PageSession(s);
    await attacker.get('/sign-in');
    const planted = attacker.cookie;
    expect(planted).toMatch(/^sg_session=/);
    // The victim signs in with the attacker's session cookie.
    const victim = new PageSession(s);
    victim.cookie = planted;
    await victim.signIn(user.email, password);
    expect(victim.cookie).not.toBe(planted);
    expect((await victim.get('/account')).status).toBe(200);
    const replay = await fetch(`${s.baseUrl}/account`, { headers: { cookie: planted }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('sends security headers on pages and on the API', async () => {
    for (const path of ['/', '/sign-in', '/api/v1/funds', '/api/docs/openapi.json']) {
      const res = await fetch(s.baseUrl + path, { redirect: 'manual' });
      const h = res.headers;
      expect(h.get('content-security-policy')).toContain("default-src 'self'");
      expect(h.get('content-security-policy')).toContain("frame-ancestors 'self'");
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(h.get('x-powered-by')).toBeNull();
    }
    const page = await fetch(`${s.baseUrl}/sign-in`);
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(page.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
  });

  it('keeps an audit trail: every state change and money entry has an event with its actor, and the trail cannot be rewritten', async () => {
    const fund = await createFund(s);
    const applicant = await s.user('applicant');
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 300_000 }]);
    const act = async (who: TestUser, action: string, body: object = {}) => {
      const r = await s.request('POST', `/api/v1/applications/${app.id}/actions/${action}`, who.token, body);
      expect(r.status).toBe(200);
      return r.body.application;
    };
    await act(fund.panel, 'approve', { amountPence: 300_000 });
    const grant = await act(applicant, 'accept-offer', SIGNED);
    await act(fund.officer, 'release-payment', { paymentId: grant.payments[0].id, reference: 'BACS-A1' });
    const final = grant.reports.find((r: { kind: string }) => r.kind === 'final');
    const interim = grant.reports.find((r: { kind: string }) => r.kind === 'interim');
    for (const report of [interim, final]) {
      expect(
        (
          await s.request('PUT', `/api/v1/applications/${app.id}/reports/${report.id}`, applicant.token, {
            answers: reportAnswers(250_000),
          })
        ).status,
      ).toBe(200);
      await act(applicant, 'submit-report', { reportId: report.id });
      await act(fund.officer, 'accept-report', { reportId: report.id });
    }
    await act(fund.officer, 'record-return', { amountPence: 50_000, reference: 'RET-A1' });
    await act(fund.officer, 'close');

    // The application's state path is exactly its events' path, each with who did it.
    const events: {
      action: string;
      from_state: string;
      to_state: string;
      actor_role: string;
      actor_user_id: string | null;
    }[] = await s.ds.query(
      `SELECT action, from_state, to_state, actor_role, actor_user_id FROM events WHERE application_id = $1 ORDER BY id`,
      [app.id],
    );
    for (const [i, e] of events.entries()) {
      if (i > 0) expect(e.from_state).toBe(events[i - 1].to_state);
      expect(e.actor_role === 'system' ? e.actor_user_id === null : e.actor_user_id !== null).toBe(true);
    }
    expect(events.at(-1)!.to_state).toBe('closed');
    const expectedActors: Record<string, string> = {
      approve: fund.panel.userId,
      'accept-offer': applicant.userId,
      'release-payment': fund.officer.userId,
      close: fund.officer.userId,
    };
    for (const [action, userId] of Object.entries(expectedActors))
      expect(events.find((e) => e.action === action)?.actor_user_id).toBe(userId);
    // Every money entry of the fund points at an event of the same fund.
    const orphans = await s.ds.query(
      `SELECT l.id FROM ledger_entries l LEFT JOIN events e ON e.id = l.event_id AND e.fund_id = l.fund_id WHERE l.fund_id = $1 AND e.id IS NULL`,
      [fund.id],
    );
    expect(orphans).toEqual([]);
    const kinds = (
      await s.ds.query(
        `SELECT e.action, l.kind FROM ledger_entries l JOIN events e ON e.id = l.event_id WHERE l.application_id = $1 ORDER BY l.id`,
        [app.id],
      )
    ).map((r: { action: string; kind: string }) => `${r.action}:${r.kind}`);
    expect(kinds).toEqual(['approve:commitment', 'release-payment:disbursement', 'record-return:return']);

    // The database itself refuses to rewrite the trail, even to the application's own connection.
    for (const sql of [
      `UPDATE events SET reason = 'rewritten' WHERE application_id = '${app.id}'`,
      `DELETE FROM events WHERE application_id = '${app.id}'`,
      `UPDATE ledger_entries SET amount_pence = 1 WHERE application_id = '${app.id}'`,
      `DELETE FROM ledger_entries WHERE application_id = '${app.id}'`,
      'TRUNCATE events CASCADE',
      'TRUNCATE ledger_entries',
    ]) {
      await expect(s.ds.query(sql)).rejects.toThrow(/append-only/);
    }
    expect((await s.ds.query(`SELECT count(*)::int AS n FROM events WHERE application_id = $1`, [app.id]))[0].n).toBe(
      events.length,
    );
  });
});
