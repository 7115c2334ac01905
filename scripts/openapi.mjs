// `npm run openapi [-- <file>]`: builds the API and writes its description (default docs/openapi.json)
// from the application in preview mode, so neither PostgreSQL nor Redis needs to be running.
import { fail, ROOT, run } from './local-services.mjs';

const out = process.argv[2] ?? 'docs/openapi.json';
if (run('npx', ['nest', 'build', 'api']) !== 0) fail('the build failed; see the output above');
if (run('node', [`${ROOT}/dist/apps/api/apps/api/src/cli/openapi.js`, out]) !== 0)
  fail('writing the description failed');
// Formatted as `prettier --check .` expects of the repository's JSON.
process.exit(run('npx', ['prettier', '--write', '--log-level', 'warn', out]));
