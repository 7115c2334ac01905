import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { createWorker } from '../../apps/worker/src/create-worker';
import { Accounts } from '../../libs/identity/src/accounts';
import { QUEUES } from '../../libs/jobs/src/queues';
import { TestStack, TestUser } from '../support/stack';

/** A browser's session on the portal over plain HTTP: signs in with the page's CSRF token, keeps the cookie. */
class BrowserSession {
  cookie = '';
  constructor(private readonly s: TestStack) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(this.s.baseUrl + path, {
      ...init,
      headers: { cookie: this.cookie, ...(init.headers as Record<string, string>) },
      redirect: 'manual',
    });
    const m = /sg_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '');
    if (m) this.cookie = m[0];
    return res;
  }

  async signIn(email: string, password: string): Promise<void> {
    const page = await (await this.fetch('/sign-in')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await this.fetch('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
    });
    expect(res.status).toBe(303);
  }

  /** What Bull Board's own page sends when a button is pressed: a bare PUT from this origin. */
  put(
    path: string,
    headers: Record<string, string> = { origin: this.s.baseUrl, 'sec-fetch-site': 'same-origin' },
  ): Promise<Response> {
    return this.fetch(path, { method: 'PUT', headers });
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Bull Board at /admin/queues: administrators only, every queue, failed jobs retried from the board. */
describe('the queue board', () => {
  let s: TestStack;
  let admin: TestUser, officer: TestUser, applicant: TestUser;
  let adminSession: BrowserSession;
  const password = 'queue board passphrase';
  const session = async (u: TestUser) => {
    await s.api.get(Accounts).setVerifiedPassword(u.userId, password);
    const b = new BrowserSession(s);
    await b.signIn(u.email, password);
    return b;
  };
  const budget = () => s.api.get<Queue>(getQueueToken(QUEUES.budget), { strict: false });
  /** A job the worker has no handler for: it fails at once, without retries (UnrecoverableError). */
  const failedJob = async (): Promise<Job> => {
    const job = await budget().add(`no-such-job-${s.suffix}`, { fundId: 'none' });
    await until('the job to fail', async () => (await job.getState()) === 'failed');
    return (await budget().getJob(job.id!))!;
  };

  beforeAll(async () => {
    s = await TestStack.start();
    admin = await s.user('admin');
    officer = await s.user('officer');
    applicant = await s.user('applicant');
    adminSession = await session(admin);
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('sends an anonymous visitor to sign in, and answers the API 401', async () => {
    const anonymous = new BrowserSession(s);
    for (const path of ['/admin/queues', '/admin/queues/queue/budget', '/admin/queues/static/images/logo.svg']) {
      const res = await anonymous.fetch(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const api = await anonymous.fetch('/admin/queues/api/queues');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(await api.json())).not.toContain(QUEUES.budget);
  });

  it('refuses signed-in applicants and officers, and tokens that are not an administrator’s', async () => {
    for (const u of [applicant, officer]) {
      const b = await session(u);
      const page = await b.fetch('/admin/queues');
      expect(page.status).toBe(403);
      expect(await page.text()).toContain('You cannot do that');
      const api = await b.fetch('/admin/queues/api/queues');
      expect(api.status).toBe(403);
      expect(((await api.json()) as { code: string }).code).toBe('role_not_permitted');
      const retry = await b.put(`/admin/queues/api/queues/${QUEUES.budget}/retry/failed`);
      expect(retry.status).toBe(403);
      expect((await s.request('GET', '/admin/queues/api/queues', u.token)).status).toBe(403);
    }
    expect((await s.request('GET', '/admin/queues/api/queues', 'not-a-real-token')).status).toBe(401);
  });

  it('shows an administrator the board, listing every queue', async () => {
    const page = await adminSession.fetch('/admin/queues');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>Small Grants queues</title>');
    expect(html).toContain('<base href="/admin/queues/"');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect((await adminSession.fetch(`/admin/queues/${script}`)).status).toBe(200);

    const api = await adminSession.fetch('/admin/queues/api/queues');
    expect(api.status).toBe(200);
    const names = (((await api.json()) as { queues: unknown }).queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(Object.values(QUEUES).sort());

    // An administrator's API token works for the JSON API too.
    const byToken = await s.request('GET', '/admin/queues/api/queues', admin.token);
    expect(byToken.status).toBe(200);
    expect(byToken.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
  });

  it('shows a failed job with its reason, and an administrator retries it from the board', async () => {
    const job = await failedJob();
    const listed = await adminSession.fetch(
      `/admin/queues/api/queues?activeQueue=${QUEUES.budget}&status=failed&page=1&jobsPerPage=50`,
    );
    const queue = (
      ((await listed.json()) as { queues: unknown }).queues as {
        name: string;
        counts: { failed: number };
        jobs: { id: string; name: string; failedReason: string }[];
      }[]
    ).find((q) => q.name === QUEUES.budget)!;
    expect(queue.counts.failed).toBeGreaterThanOrEqual(1);
    expect(queue.jobs.find((j) => j.id === job.id)).toMatchObject({
      name: job.name,
      failedReason: `no handler for ${job.name} on ${QUEUES.budget}`,
    });
    const firstFinish = job.finishedOn!;

    // Retried, it runs again at once (on any worker sharing the queues) and, with no handler, fails
    // again: a second, later finish proves the retry.
    const retried = await adminSession.put(`/admin/queues/api/queues/${QUEUES.budget}/${job.id}/retry`);
    expect(retried.status).toBe(204);
    await until('the retried job to run', async () => {
      const again = await budget().getJob(job.id!);
      return again && (await again.getState()) === 'failed' && again.finishedOn! > firstFinish;
    });
  });

  it('refuses changes from the session that do not come from the board’s own origin', async () => {
    const job = await failedJob();
    const path = `/admin/queues/api/queues/${QUEUES.budget}/${job.id}/retry`;
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://admin.grants.test', 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      {}, // neither header: not a page of this site
    ];
    for (const headers of foreign) {
      const res = await adminSession.put(path, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // A same-origin request with a body that is not JSON (what an HTML form could send) is refused too.
    const form = await adminSession.fetch(`/admin/queues/api/queues/${QUEUES.budget}/add`, {
      method: 'POST',
      headers: { origin: s.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    expect(form.status).toBe(403);
    expect(await budget().getJobState(job.id!)).toBe('failed');

    // The same request from the board's origin (Origin only, as older browsers send) goes through.
    expect((await adminSession.put(path, { origin: s.baseUrl })).status).toBe(204);
    // And the portal's own forms still need their CSRF token.
    const signOut = await adminSession.fetch('/sign-out', {
      method: 'POST',
      headers: { origin: s.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(signOut.status).toBe(403);
  });
});

describe('the worker', () => {
  it('refuses to start while Redis may evict queue keys', async () => {
    // A Redis of its own with an evicting policy, so the suites sharing the test Redis never see it.
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'allkeys-lru',
      ],
      { stdio: 'ignore' },
    );
    const url = `redis://127.0.0.1:${port}`;
    const previous = process.env.REDIS_URL;
    for (let i = 0; !(await listening(port)); i++) {
      if (i > 50) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const redis = new Redis(url);
    try {
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
      process.env.REDIS_URL = url;
      const refusal = await createWorker().then(
        async (w) => {
          await w.close();
          return undefined;
        },
        (err: unknown) => err,
      );
      expect(refusal).toBeInstanceOf(Error);
      expect((refusal as Error).message).toMatch(
        /^Redis maxmemory-policy is allkeys-lru: Redis may evict queue keys and lose jobs\. Set maxmemory-policy noeviction \(redis-cli CONFIG SET maxmemory-policy noeviction/,
      );
    } finally {
      process.env.REDIS_URL = previous;
      redis.disconnect();
      server.kill();
    }
  });
});

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
