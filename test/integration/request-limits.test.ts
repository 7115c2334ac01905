import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { spawnApi, WorkerProcess } from '../support/processes';
import { TestStack, TestUser } from '../support/stack';

const MiB = 1024 * 1024;
const FIELDS = 300;
const BOUNDARY = 'limitsBoundary';
const FIELD_VALUE = Buffer.alloc(MiB, 'x');

/** 300 fields of 1 MiB as multipart, produced as it is sent (the test never holds it whole). */
function hugeBody(): { stream: Readable; length: number } {
  const head = (i: number) => Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="f${i}"\r\n\r\n`);
  const tail = Buffer.from(`--${BOUNDARY}--\r\n`);
  let length = tail.length;
  for (let i = 0; i < FIELDS; i++) length += head(i).length + FIELD_VALUE.length + 2;
  function* parts() {
    for (let i = 0; i < FIELDS; i++) {
      yield head(i);
      yield FIELD_VALUE;
      yield Buffer.from('\r\n');
    }
    yield tail;
  }
  return { stream: Readable.from(parts(), { objectMode: false }), length };
}

/**
 * Sends the body and resolves with the answer as soon as it comes (the server need not read the
 * rest); the upload is then abandoned. `declared`: with Content-Length, else chunked.
 */
function post(
  base: string,
  path: string,
  headers: Record<string, string>,
  declared: boolean,
): Promise<{ status: number; type: string; body: string }> {
  const { stream, length } = hugeBody();
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(declared ? { 'content-length': String(length) } : {}),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body });
        stream.destroy();
        req.destroy();
      });
    });
    // Writing after the answer may fail (the server stops reading): only the answer matters.
    req.on('error', (err) => (req.writableEnded ? undefined : reject(err)));
    stream.pipe(req);
  });
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

/**
 * Multipart is read only by the upload routes, after authentication, within tight limits. A real
 * API process with production's 256 MB heap is sent 300 fields of 1 MiB (300 MiB) several ways:
 * each is refused with 413 (or 415 where no upload belongs) without being held in memory, and the
 * process goes on answering.
 */
describe('request limits on a real API process', () => {
  let s: TestStack;
  let api: WorkerProcess;
  let applicant: TestUser;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const upload = `/api/v1/applications/${randomUUID()}/files`;

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    applicant = await s.user('applicant');
    api = await spawnApi({
      PORT: String(port),
      PUBLIC_URL: base,
      SCHEDULED_JOBS: 'off',
      DATABASE_URL: process.env.DATABASE_URL,
      NODE_OPTIONS: '--max-old-space-size=256 --max-semi-space-size=8',
    });
  });

  afterAll(async () => {
    api?.child.kill('SIGTERM');
    await api?.exited;
    await s?.stop();
  });

  const health = async () => (await fetch(`${base}/api/health`)).status;

  it('answers 413 problem+json to 300 fields of 1 MiB sent to /sign-in and to an API route, and still answers /api/health', async () => {
    const before = rssMb(api.child.pid!);
    const signIn = await post(base, '/sign-in', { accept: 'application/problem+json' }, true);
    expect(signIn.status).toBe(413);
    // A page: the error page, in HTML.
    expect(signIn.type).toMatch(/text\/html/);
    expect(signIn.body).toContain('govuk-template');

    const apiRoute = await post(base, '/api/v1/organisations', { authorization: `Bearer ${applicant.token}` }, true);
    expect(apiRoute.status).toBe(413);
    expect(apiRoute.type).toMatch(/application\/problem\+json/);
    expect(JSON.parse(apiRoute.body)).toMatchObject({ status: 413, code: 'http_413' });

    // The upload route too, before it authenticates anyone: the declared length is over its limit.
    const uploadRoute = await post(base, upload, {}, true);
    expect(uploadRoute.status).toBe(413);
    expect(JSON.parse(uploadRoute.body)).toMatchObject({ status: 413 });

    expect(await health()).toBe(200);
    expect(rssMb(api.child.pid!) - before).toBeLessThan(100);
  });

  it('refuses the same body sent chunked: 415 where no upload belongs, 401 on the upload route without a token, 413 with one (a field over 100 KB)', async () => {
    const before = rssMb(api.child.pid!);
    expect((await post(base, '/sign-in', {}, false)).status).toBe(415);
    const apiRoute = await post(base, '/api/v1/organisations', { authorization: `Bearer ${applicant.token}` }, false);
    expect(apiRoute.status).toBe(415);
    expect(JSON.parse(apiRoute.body)).toMatchObject({ code: 'http_415' });
    // Nothing is read before authentication.
    expect((await post(base, upload, {}, false)).status).toBe(401);
    const authenticated = await post(base, upload, { authorization: `Bearer ${applicant.token}` }, false);
    expect(authenticated.status).toBe(413);
    expect(JSON.parse(authenticated.body)).toMatchObject({ status: 413, detail: expect.stringMatching(/field f0/) });

    expect(await health()).toBe(200);
    expect(rssMb(api.child.pid!) - before).toBeLessThan(100);
  });

  it('answers 413 to more than 50 fields on the upload route', async () => {
    const form = new FormData();
    for (let i = 0; i < 60; i++) form.append(`f${i}`, 'x');
    const r = await fetch(`${base}${upload}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${applicant.token}` },
      body: form,
    });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await health()).toBe(200);
  });
});
