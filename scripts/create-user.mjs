// `npm run create-user -- --email … --name … --role officer --partner catalyst`: a staff account.
import { existsSync } from 'node:fs';
import { fail, ROOT, run } from './local-services.mjs';

const cli = `${ROOT}/dist/apps/api/apps/api/src/cli/create-user.js`;
if (!existsSync(cli)) fail('dist/ is missing: run `npm run build` (or `npm start` once) first');
process.exit(run('node', [cli, ...process.argv.slice(2)]));
