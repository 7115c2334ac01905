// `npm run bench`: builds if stale, prepares its own database (smallgrants_bench) and queue prefix,
// starts the built API and worker as child processes, runs each benchmark against a baseline
// measured in the same run, prints a table, and stops everything, also on failure.
// See bench/README.md.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  buildIfStale,
  builtMain,
  ensureDependencies,
  ensurePostgres,
  ensureRedis,
  fail,
  ROOT,
  SERVICE_NODE_FLAGS,
} from '../scripts/local-services.mjs';
import { approveBenchmarks } from './approve.mjs';
import { coldStart } from './cold-start.mjs';
import { emailBenchmarks } from './emails.mjs';
import { getApplicationBenchmark } from './get-application.mjs';
import { freePort, httpClient, printTable, row, sleep, spawnLogged, stopChild, waitForHttp200 } from './lib.mjs';
import { benchQueues } from './queues.mjs';
import { reminderScanBenchmark } from './reminder-scan.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

const log = (message) => console.log(`[bench] ${message}`);
const startedAt = new Date();

const API_MAIN = builtMain('api');
const WORKER_MAIN = builtMain('worker');
const SETUP = join(ROOT, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'cli', 'setup.js');

// Which benchmarks to run (all by default): BENCH_ONLY=approve,get,emails,reminders,cold-start
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const wants = (name) => !only || only.has(name);

async function recreateDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/bench/.test(name)) fail(`refusing to use database "${name}" for benchmarks: its name must contain "bench"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return async () => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
}

async function waitForLine(file, text, child, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!readFileSync(file, 'utf8').includes(text)) {
    if (child.exitCode !== null) throw new Error(`${file}: process exited (${child.exitCode}) before "${text}"`);
    if (Date.now() > until) throw new Error(`${file}: no "${text}" within ${timeoutMs} ms`);
    await sleep(50);
  }
}

const cleanups = [];
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`[bench] clean-up step failed: ${err.message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping everything…`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main() {
  ensureDependencies();
  const dbUrlWanted = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/smallgrants_bench';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const pgServer = await ensurePostgres(dbUrlWanted);
  cleanups.push(() => pgServer.stop());
  const dbUrl = pgServer.url;
  await ensureRedis(redisUrl);
  buildIfStale();

  const queuePrefix = `sgbench-${randomBytes(4).toString('hex')}`;
  const logDir = join(tmpdir(), queuePrefix);
  mkdirSync(logDir, { recursive: true });
  log(`database ${new URL(dbUrl).pathname.slice(1)}, queue prefix ${queuePrefix}, process logs in ${logDir}`);

  const dropDatabase = await recreateDatabase(dbUrl);
  if (process.env.BENCH_KEEP_DB !== '1') cleanups.push(dropDatabase);
  const setup = spawnSync(process.execPath, [SETUP], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DEVELOPMENT_USERS: 'on',
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
  });
  if (setup.status !== 0) throw new Error(`setup failed:\n${setup.stdout}\n${setup.stderr}`);
  log('migrations applied, pilot fund and development users loaded');

  const sink = await startSmtpSink();
  cleanups.push(() => sink.close());
  const queues = benchQueues(redisUrl, queuePrefix);
  cleanups.push(async () => {
    await queues.deleteAll();
    await queues.close();
  });

  const port = await freePort();
  const childEnv = {
    ...process.env,
    // Not production: production refuses to start with the development users (whose tokens the
    // bench uses) and an http PUBLIC_URL. `test` runs the same code paths (cached views, no prune).
    NODE_ENV: 'test',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: sink.url,
    SCHEDULED_JOBS: 'off',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    FILE_STORAGE_DIR: join(logDir, 'files'),
  };
  const ctx = {
    root: ROOT,
    log,
    logDir,
    dbUrl,
    redisUrl,
    queuePrefix,
    childEnv,
    apiMain: API_MAIN,
    workerMain: WORKER_MAIN,
    sink,
    queues,
  };
  const results = [];
  const attempt = async (name, fn) => {
    if (!wants(name)) return;
    try {
      results.push(...(await fn(ctx)));
    } catch (err) {
      log(`${name} failed: ${err.stack ?? err.message}`);
      results.push(row(name, 'ERROR', '', '', [{ name: err.message.split('\n')[0].slice(0, 80), ok: false }]));
    }
  };

  // Cold start first, while nothing else of ours runs.
  await attempt('cold-start', coldStart);

  const apiLog = join(logDir, 'api.log');
  const workerLog = join(logDir, 'worker.log');
  const apiFd = openSync(apiLog, 'w');
  const workerFd = openSync(workerLog, 'w');
  // BENCH_API_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") is for profiling the API under the benchmark's load.
  const apiNodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = spawnLogged(process.execPath, [...SERVICE_NODE_FLAGS, ...apiNodeArgs, API_MAIN], {
    cwd: ROOT,
    env: childEnv,
    logFd: apiFd,
  });
  // BENCH_WORKER_NODE_ARGS does the same for the worker (e.g. while it drains the email backlog).
  const workerNodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const worker = spawnLogged(process.execPath, [...SERVICE_NODE_FLAGS, ...workerNodeArgs, WORKER_MAIN], {
    cwd: ROOT,
    env: childEnv,
    logFd: workerFd,
  });
  cleanups.push(async () => {
    await Promise.all([stopChild(api), stopChild(worker)]);
    closeSync(apiFd);
    closeSync(workerFd);
  });
  ctx.api = api;
  ctx.worker = worker;
  ctx.baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp200(`${ctx.baseUrl}/api/health`, performance.now(), 30_000, api);
  await waitForLine(workerLog, 'worker ready', worker);
  log(`api (pid ${api.pid}) and worker (pid ${worker.pid}) ready`);

  ctx.pg = new pg.Pool({ connectionString: dbUrl, max: 4 });
  cleanups.push(() => ctx.pg.end());
  ctx.http = httpClient(ctx.baseUrl);
  cleanups.push(() => ctx.http.close());
  ctx.tokens = {
    admin: 'dev-admin-token',
    panel: 'dev-panel-token',
    officer: 'dev-officer-token',
    applicant: 'dev-applicant-token',
  };
  const { rows: users } = await ctx.pg.query(
    `SELECT id, email FROM users WHERE email IN ('amina@women-of-tees.example', 'panel@catalyst.example')`,
  );
  ctx.applicantId = users.find((u) => u.email.startsWith('amina')).id;
  ctx.panelUserId = users.find((u) => u.email.startsWith('panel')).id;

  // The worker's jobs wait while the approvals and reads are measured; the emails are measured next.
  await queues.pause();
  await attempt('approve', approveBenchmarks);
  await attempt('get', getApplicationBenchmark);
  await queues.resume();
  await attempt('emails', emailBenchmarks);

  // The scan runs in a process of its own: the reminder benchmark stops the API and worker once
  // it has created its funds through the API.
  ctx.stopServices = () => Promise.all([stopChild(api), stopChild(worker)]);
  await attempt('reminders', reminderScanBenchmark);

  const finishedAt = new Date();
  const cpu = cpus();
  console.log('');
  console.log(
    `Small Grants benchmarks — ${startedAt.toISOString()} (${Math.round((finishedAt - startedAt) / 1000)} s)`,
  );
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, node ${process.version}, ${(await ctx.pg.query('SHOW server_version')).rows[0].server_version} PostgreSQL`,
  );
  console.log('');
  console.log(printTable(results));
  const verdicts = results.flatMap((r) => r.targets.map((t) => t.ok));
  console.log('');
  console.log(`${verdicts.filter((v) => v === true).length} PASS, ${verdicts.filter((v) => v === false).length} MISS`);
  return results.some((r) => r.figure === 'ERROR') ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[bench] ${err.stack ?? err.message}`);
} finally {
  await cleanup();
}
process.exit(code);
