import { randomBytes } from 'node:crypto';
import { createFund } from '../support/funds';
import { PageSession } from '../support/page-session';
import { completeAnswers, organisationProfile } from '../support/pilot';
import { spawnApi, spawnWorker, WorkerProcess } from '../support/processes';
import { TestStack } from '../support/stack';

/**
 * No personal data in logs: a real API process and a real worker, logging at debug, serve a whole
 * applicant journey (registration, verification, a failed and a good sign-in, an organisation with
 * its address, an application, submission, a password reset, emails). Then their logs are read:
 * none of the person's name, email, password, address, postcode, the application's words, or any
 * token or session id may appear.
 */
describe('the logs of a full run', () => {
  let s: TestStack;
  const procs: WorkerProcess[] = [];
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const secret = randomBytes(3).toString('hex');
  const person = {
    name: `Zainab Testperson ${secret}`,
    email: `zainab.${secret}@private.example`,
    password: `correct horse ${secret} battery`,
    address: `12 Quiet Lane ${secret}`,
    postcode: 'TS1 9ZZ',
    words: `Weekly circle ${secret} for women`,
  };

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    // The run's own queues: whatever these processes relay, any worker of the run may send, so
    // stopping them strands nothing.
    const env = {
      PORT: String(port),
      PUBLIC_URL: base,
      LOG_LEVEL: 'debug',
      SCHEDULED_JOBS: 'off',
      DATABASE_URL: process.env.DATABASE_URL,
    };
    procs.push(await spawnApi(env), await spawnWorker(env));
  });

  afterAll(async () => {
    for (const p of procs) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    await s?.stop();
  });

  it('holds no name, email, password, address, postcode, application text, token or session id', async () => {
    const fund = await createFund(s);
    const page = new PageSession({ baseUrl: base } as TestStack);
    const reg = await page.post(
      '/register',
      { displayName: person.name, email: person.email, password: person.password },
      '/register',
    );
    expect(reg.status).toBeLessThan(500);
    await s.smtp.waitFor((all) => all.some((m) => m.to.includes(person.email)));
    const verify = /https?:\/\/\S+\/verify-email\/[A-Za-z0-9_-]+/.exec(s.smtp.to(person.email)[0].text)![0];
    const verifyToken = verify.split('/').pop()!;
    expect((await page.get(new URL(verify).pathname)).status).toBe(200);
    expect((await page.post(new URL(verify).pathname, {})).status).toBe(200);
    expect(
      (await page.post('/sign-in', { email: person.email, password: 'wrong password here' }, '/sign-in')).status,
    ).toBe(400);
    await page.signIn(person.email, person.password);
    const session = page.cookie;
    const issued = await page.post(
      '/account/api-tokens',
      { name: 'Logs check', password: person.password },
      '/account',
    );
    const apiToken = /<code id="api-token">([^<]+)<\/code>/.exec(issued.html)![1];
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}/api/v1${path}?email=${encodeURIComponent(person.email)}`, {
        method,
        headers: { authorization: `Bearer ${apiToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const org = await api(
      'POST',
      '/organisations',
      organisationProfile({
        addressLine1: person.address,
        postcode: person.postcode,
        registrationNumber: String(1_100_000 + Math.floor(Math.random() * 800_000)),
      }),
    );
    expect(org.status).toBe(201);
    const draft = await api('POST', '/applications', {
      fundId: fund.id,
      organisationId: org.body.id,
      answers: completeAnswers({ project_summary: person.words }),
    });
    expect(draft.status).toBe(201);
    expect((await api('POST', `/applications/${draft.body.id}/actions/submit`, {})).status).toBe(200);
    // A reset link, asked for and used.
    await page.post('/forgot-password', { email: person.email }, '/forgot-password');
    await s.smtp.waitFor(
      (all) => all.filter((m) => m.to.includes(person.email) && /reset-password\//.test(m.text)).length >= 1,
    );
    const reset = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(
      s.smtp.to(person.email).find((m) => /reset-password\//.test(m.text))!.text,
    )!;
    expect((await page.get(`/reset-password/${reset[1]}`)).status).toBe(200);
    await s.smtp.waitFor((all) => all.some((m) => m.to.includes(person.email) && /received/i.test(m.subject)));

    const logs = procs.map((p) => p.output()).join('\n');
    expect(logs).toContain('"url":"/api/v1/applications"'); // the logs were written, at debug
    for (const [what, value] of Object.entries({
      ...person,
      verifyToken,
      resetToken: reset[1],
      apiToken,
      session: session.replace('sg_session=', ''),
    })) {
      if (logs.includes(value)) throw new Error(`the logs hold the ${what}`);
    }
    expect(logs).not.toMatch(/[A-Za-z0-9._%+-]+@private\.example/);
    expect(logs).toContain('/reset-password/:token');
  });
});
