import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { previewApiDocument } from '../http/openapi-document';

/**
 * Writes the API description (`npm run openapi`, default docs/openapi.json) from the application in
 * preview mode: modules and controllers are read, no provider is instantiated, so neither
 * PostgreSQL nor Redis needs to be running.
 */
async function writeOpenApi(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'docs/openapi.json');
  const doc = await previewApiDocument();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(`wrote ${out}: ${operations} operations`);
  // Nothing is left open in preview mode; exit rather than wait on a stray handle.
  process.exit(0);
}

writeOpenApi().catch((err: unknown) => {
  console.error(`openapi failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
