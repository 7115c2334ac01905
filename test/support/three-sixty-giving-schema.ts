import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The 360Giving Data Standard's own schemas and code lists, as a validator. They are copied
 * unchanged from ../shared/data/360giving/ (its README.md gives the source commits; LICENSE.md:
 * CC BY 4.0, which allows copying with attribution) into test/fixtures/360giving/, so that a
 * clean checkout anywhere can run the test.
 */
export const THREESIXTYGIVING_DIR = join(__dirname, '..', 'fixtures', '360giving');

const read = (path: string) => JSON.parse(readFileSync(join(THREESIXTYGIVING_DIR, path), 'utf8'));

/** The first column of a code list (CSV with a header row; codes are never quoted with commas). */
export function codeList(path: string): Set<string> {
  const lines = readFileSync(join(THREESIXTYGIVING_DIR, path), 'utf8').split(/\r?\n/).slice(1);
  return new Set(lines.filter((l) => l.trim() !== '').map((l) => l.split(',')[0].replace(/^"|"$/g, '')));
}

/** RFC 7386 JSON merge patch: how the DEI extension's schema adds its properties to the grant schema. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Validates a 360Giving package: the package schema, each grant against the grant schema with the
 * DEI extension merged in, and every `codelist` value against its code list where the list is here
 * (regrantType, currency, and the DEI lists; all are closed lists).
 */
export function threeSixtyGivingValidator(): (data: unknown) => ErrorObject[] {
  const packageSchema = read('360-giving-package-schema.json');
  const grantSchema = read('360-giving-schema.json');
  const { $schema: _draft04, ...deiPatch } = read('dei/360-giving-schema.json'); // the patch's draft-04 header is not part of what it adds
  const grantWithDei = mergePatch(grantSchema, deiPatch) as Record<string, unknown>;
  // The package (1.4.3) refers to its grant schema by the 1.4.2 address: the same grant schema.
  grantWithDei.$id = packageSchema.properties.grants.items.$ref;
  // Both name draft 2020-12 by its http:// address; Ajv knows the meta-schema by its https:// one.
  for (const schema of [packageSchema, grantWithDei]) schema.$schema = 'https://json-schema.org/draft/2020-12/schema';

  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'openCodelist' });
  ajv.addKeyword({ keyword: 'rollUp' });
  const lists = new Map<string, Set<string> | null>();
  ajv.addKeyword({
    keyword: 'codelist',
    schemaType: 'string',
    validate: (list: string, data: unknown) => {
      if (typeof data !== 'string') return true;
      if (!lists.has(list)) {
        const path = [list, `dei/${list}`].find((p) => existsSync(join(THREESIXTYGIVING_DIR, p)));
        lists.set(list, path ? codeList(path) : null);
      }
      const codes = lists.get(list);
      return codes === null || codes === undefined || codes.has(data);
    },
    errors: false,
  });
  ajv.addSchema(grantWithDei);
  const validate = ajv.compile(packageSchema);
  return (data) => (validate(data) ? [] : [...(validate.errors ?? [])]);
}
