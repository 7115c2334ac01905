import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a file of the API's own (views, styles) is, from source (tests, ts) or from dist/. */
export function apiPath(...parts: string[]): string {
  const candidates = [join(__dirname, '..', '..', ...parts), join(process.cwd(), 'apps', 'api', ...parts)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`${parts.join('/')} not found in ${candidates.join(' or ')}`);
  return found;
}

/**
 * The portal's stylesheet: GOV.UK Frontend built with our settings (no GDS Transport, our header).
 * Compiled with sass on first use and cached by the hash of its inputs, so a process start costs
 * a file read, and a change to the SCSS or to govuk-frontend's version rebuilds it.
 */
export function portalStylesheet(): string {
  const source = apiPath('styles', 'portal.scss');
  const govukVersion = JSON.parse(readFileSync(require.resolve('govuk-frontend/package.json'), 'utf8')).version;
  const key = createHash('sha256').update(readFileSync(source)).update(govukVersion).digest('hex').slice(0, 16);
  const cached = join(process.cwd(), '.cache', `portal-${key}.css`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  // sass is only needed to build the stylesheet; required lazily so a prebuilt cache needs nothing
  // (a synchronous require: the stylesheet is built while the portal registers, before it listens).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sass = require('sass') as typeof import('sass');
  const css = sass.compile(source, {
    loadPaths: [join(dirname(require.resolve('govuk-frontend/package.json')), '..')],
    style: 'compressed',
    quietDeps: true,
  }).css;
  mkdirSync(dirname(cached), { recursive: true });
  const temp = `${cached}.${process.pid}.tmp`;
  writeFileSync(temp, css);
  renameSync(temp, cached);
  return css;
}
