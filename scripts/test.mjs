// `npm test`: dependencies, services and every suite (unit, integration, end-to-end, browser).
// The fault tests (jest project `faults`) run apart, with `npm run test:faults`.
import { ensureChromium, ensureDependencies, ensurePostgres, ensureRedis, ROOT, run } from './local-services.mjs';

const env = { ...process.env, NODE_ENV: 'test' };
env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/smallgrants_test';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';

ensureDependencies();
const pg = await ensurePostgres(env.TEST_DATABASE_URL);
env.TEST_DATABASE_URL = pg.url;
await ensureRedis(env.REDIS_URL);
env.CHROMIUM_PATH = ensureChromium();

let code = run('npx', ['eslint', 'libs', 'apps', 'test'], env);
if (code !== 0) console.error('[small-grants] lint failed');
// Formatting is checked, not fixed, here: `npm run format` writes it.
const format = run('npx', ['prettier', '--check', '--log-level', 'warn', '.'], env);
if (format !== 0) console.error('[small-grants] formatting differs from Prettier: run `npm run format`');
code ||= format;
const args = process.argv.slice(2);
const projects = args.some((a) => a.startsWith('--selectProjects'))
  ? []
  : ['--selectProjects', 'unit', 'integration', 'e2e', 'browser'];
const jest = run('npx', ['jest', '--ci', '--maxWorkers=2', ...projects, ...args], env);
await pg.stop();
process.exit(code || jest);
