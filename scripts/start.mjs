// `npm start`: set up everything on local defaults and run the API and the worker.
import { join } from 'node:path';
import {
  buildIfStale,
  builtMain,
  ensureDatabase,
  ensureDependencies,
  ensurePostgres,
  ensureRedis,
  fail,
  log,
  ROOT,
  run,
  SERVICE_NODE_FLAGS,
  start,
} from './local-services.mjs';

const env = { ...process.env };
// Unset, NODE_ENV means production: a developer's machine says development, and asks for the
// development users (published password and tokens), which setup creates only then.
env.NODE_ENV ??= 'development';
// Development users' passwords are published: a second factor is offered but not forced on them.
if (env.NODE_ENV === 'development') env.STAFF_SECOND_FACTOR ??= 'optional';
if (env.NODE_ENV === 'development') env.DEVELOPMENT_USERS ??= 'on';
env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/smallgrants';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
env.PORT ??= '3000';
env.PUBLIC_URL ??= `http://localhost:${env.PORT}`;

ensureDependencies();
const pg = await ensurePostgres(env.DATABASE_URL);
env.DATABASE_URL = pg.url;
await ensureRedis(env.REDIS_URL);
await ensureDatabase(env.DATABASE_URL);

buildIfStale();
const built = builtMain('api');
const workerBuilt = builtMain('worker');
if (run('node', ['dist/apps/api/apps/api/src/cli/setup.js'], env) !== 0) fail('setup failed; see above');

const children = [
  start('node', [...SERVICE_NODE_FLAGS, built], env, '[api]   '),
  start('node', [...SERVICE_NODE_FLAGS, workerBuilt], env, '[worker]'),
];
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
  await pg.stop();
  process.exit(code);
}
for (const c of children)
  c.once('exit', (code) => !stopping && (log(`a process stopped (exit ${code}); stopping`), stop(code ?? 1)));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

children[0].stdout.on('data', (chunk) => {
  if (!chunk.toString().includes('api ready')) return;
  const mail = env.SMTP_URL
    ? `sent through ${new URL(env.SMTP_URL).host}`
    : `written as .eml files to ${join(ROOT, env.MAIL_SINK_DIR ?? 'var/mail')}`;
  console.log(`
  Small Grants is running.
    Portal       ${env.PUBLIC_URL}/
    API          ${env.PUBLIC_URL}/api/v1
    API docs     ${env.PUBLIC_URL}/api/docs
    Health       ${env.PUBLIC_URL}/api/health
    Emails       ${mail}
  Development sign-in (portal): amina@women-of-tees.example, password "small grants development"
  Development tokens (send as "Authorization: Bearer <token>"):
    applicant dev-applicant-token · officer dev-officer-token · panel dev-panel-token
    partner officer dev-partner-officer-token · funder dev-funder-token · admin dev-admin-token
  Ctrl-C stops everything.
`);
});
