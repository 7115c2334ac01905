import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { upsertUserWithToken } from '../../../libs/identity/src/api-tokens';
import { spawnApi, spawnWorker, WorkerProcess } from '../../support/processes';
import { ReceivedMail, SmtpSink } from '../../support/smtp-sink';
import type { TestStack, TestUser } from '../../support/stack';
import { freePort, freshDatabase, PrivateRedis, sleep } from './services';

const ROOT = join(__dirname, '..', '..', '..');
const LOGS = join(ROOT, 'test-results', 'faults');

export interface Proc extends WorkerProcess {
  name: string;
  baseUrl?: string;
}

export interface FaultStackOptions {
  /** Names this file's database (`<test database>_<tag>`), queue prefix and logs. */
  tag: string;
  /** The PostgreSQL server to create the database on; the run's test database's server by default. */
  serverUrl?: string;
  /** Extra settings for every child process. */
  env?: Record<string, string>;
}

/**
 * The product as production runs it: API and worker processes built from dist/, started as
 * children against a database of this file's own, a redis-server of its own (which the test may
 * kill and restart) and an SMTP sink in the test process that records every email that arrives.
 * `stop()` kills every child and server, and keeps their output in test-results/faults/.
 */
export class FaultStack {
  readonly prefix: string;
  readonly suffix = randomBytes(3).toString('hex');
  readonly apis: Proc[] = [];
  readonly workers: Proc[] = [];
  private readonly exited: Proc[] = [];
  private workersStarted = 0;
  private dropDatabase?: () => Promise<void>;
  private readonly mailDir = mkdtempSync(join(tmpdir(), 'sg-faults-mail-'));
  private readonly filesDir = mkdtempSync(join(tmpdir(), 'sg-faults-files-'));
  readonly sink = new SmtpSink(this.mailDir);
  readonly mail = new ReceivedMail(this.mailDir);
  ds!: DataSource;
  databaseUrl = '';
  redis!: PrivateRedis;

  private constructor(private readonly options: FaultStackOptions) {
    this.prefix = `sgfault-${options.tag}-${this.suffix}`;
  }

  /** Children die with the test process, even when it exits before afterAll. */
  private track(p: Proc): Proc {
    const orphan = () => p.child.kill('SIGKILL');
    process.once('exit', orphan);
    p.child.once('exit', () => process.removeListener('exit', orphan));
    return p;
  }

  /** The database, Redis and the SMTP sink; processes are started by the test. */
  static async start(options: FaultStackOptions): Promise<FaultStack> {
    const s = new FaultStack(options);
    try {
      const db = await freshDatabase(
        options.serverUrl ??
          process.env.TEST_DATABASE_URL ??
          'postgres://postgres@127.0.0.1:5432/smallgrants_test_faults',
        options.tag,
      );
      s.ds = db.ds;
      s.databaseUrl = db.url;
      s.dropDatabase = db.drop;
      s.redis = await PrivateRedis.start();
      await s.sink.start();
    } catch (err) {
      await s.stop();
      throw err;
    }
    return s;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      DATABASE_URL: this.databaseUrl,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: this.redis.url,
      QUEUE_PREFIX: this.prefix,
      SMTP_URL: this.sink.url,
      PUBLIC_URL: 'http://grants.test',
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '200',
      SCHEDULED_JOBS: 'off',
      FILE_STORAGE_DIR: this.filesDir,
      ...this.options.env,
      ...extra,
    };
  }

  async startApi(extra: Record<string, string> = {}): Promise<Proc> {
    const port = await freePort();
    const p: Proc = {
      ...(await spawnApi(this.env({ PORT: String(port), HOST: '127.0.0.1', ...extra }), 60_000)),
      name: `api${this.apis.length + 1}`,
      baseUrl: `http://127.0.0.1:${port}`,
    };
    this.apis.push(this.track(p));
    return p;
  }

  async startWorker(extra: Record<string, string> = {}): Promise<Proc> {
    const p: Proc = { ...(await spawnWorker(this.env(extra), 60_000)), name: `worker${++this.workersStarted}` };
    this.workers.push(this.track(p));
    return p;
  }

  /** Sends the signal to a worker and waits for it to exit; returns how it ended. */
  async signalWorker(p: Proc, signal: NodeJS.Signals): Promise<string> {
    p.child.kill(signal);
    const how = await p.exited;
    this.workers.splice(this.workers.indexOf(p), 1);
    this.exited.push(p);
    return how;
  }

  async user(
    role: 'applicant' | 'officer' | 'partner_officer' | 'panel_member' | 'funder_viewer' | 'admin',
    partnerSlug?: string,
  ): Promise<TestUser> {
    const email = `${role}-${randomBytes(4).toString('hex')}@test.example`;
    const u = await upsertUserWithToken(this.ds, {
      email,
      displayName: `Test ${role}`,
      role,
      partnerOrganisationSlug: partnerSlug,
    });
    return { ...u, email };
  }

  /** The same as TestStack's: the pilot fund with slugs unique to this stack. */
  pilotDefinition(): Record<string, any> {
    const d = JSON.parse(readFileSync(join(ROOT, 'config', 'funds', 'cleveland-pilot.json'), 'utf8'));
    d.slug = `${d.slug}-${this.suffix}-${randomBytes(2).toString('hex')}`;
    d.managingOrganisation.slug += `-${this.suffix}`;
    d.partners.forEach((p: { slug: string }) => (p.slug += `-${this.suffix}`));
    d.funder.slug += `-${this.suffix}`;
    return d;
  }

  /** A request to the first API (the shared helpers in test/support/funds.ts use this). */
  request<T = any>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    return this.requestTo(0, method, path, token, body);
  }

  async requestTo<T = any>(
    api: number,
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(this.apis[api].baseUrl + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** For the helpers written for the in-process TestStack (createFund, awaitingDecision): they use user, ds, request and pilotDefinition only. */
  asTestStack(): TestStack {
    return this as unknown as TestStack;
  }

  /** How many times the sink received each notification's email, by the notification id in its Message-ID. */
  deliveries(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const m of this.mail.received) {
      const id = /<notification-(\d+)@/.exec(m.messageId)?.[1];
      if (id) counts.set(Number(id), (counts.get(Number(id)) ?? 0) + 1);
    }
    return counts;
  }

  /** The notification rows: id and status. */
  async notifications(): Promise<{ id: number; status: string }[]> {
    const rows: { id: string; status: string }[] = await this.ds.query(
      'SELECT id, status FROM notifications ORDER BY id',
    );
    return rows.map((r) => ({ id: Number(r.id), status: r.status }));
  }

  /** Waits until every notification row is sent and its email has arrived; returns the rows. */
  async allSent(timeoutMs = 120_000): Promise<{ id: number; status: string }[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.notifications().catch(() => null);
      const got = this.deliveries();
      if (rows && rows.length > 0 && rows.every((r) => r.status === 'sent' && got.has(r.id))) return rows;
      if (Date.now() > until) {
        const byStatus = rows?.reduce<Record<string, number>>(
          (a, r) => ({ ...a, [r.status]: (a[r.status] ?? 0) + 1 }),
          {},
        );
        throw new Error(
          `not every email was sent in ${timeoutMs} ms: rows by status ${JSON.stringify(byStatus)}, ${got.size} received`,
        );
      }
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    const procs = [...this.apis, ...this.workers];
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    mkdirSync(LOGS, { recursive: true });
    for (const p of [...procs, ...this.exited])
      writeFileSync(join(LOGS, `${this.options.tag}-${p.name}.log`), p.output());
    await this.sink.stop().catch(() => undefined);
    await this.redis?.stop();
    await this.dropDatabase?.();
    for (const dir of [this.mailDir, this.filesDir]) rmSync(dir, { recursive: true, force: true });
  }
}
