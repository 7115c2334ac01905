// Production set-up step (docker compose's migrate service): migrations and fund definitions.
import { existsSync } from 'node:fs';
import { fail, ROOT, run } from './local-services.mjs';

const setup = `${ROOT}/dist/apps/api/apps/api/src/cli/setup.js`;
if (!existsSync(setup)) fail('dist/ is missing: run `npm run build` first');
process.exit(run('node', [setup]));
