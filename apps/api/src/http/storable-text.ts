import { FieldProblem, UseCaseError } from '@sg/domain';
import type { FastifyRequest } from 'fastify';

/** U+0000 and unpaired UTF-16 surrogates: PostgreSQL stores neither in text nor in jsonb. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MESSAGE = 'contains a character that cannot be stored (a NUL character or half of a surrogate pair)';

function collect(value: unknown, path: string, seen: Set<object>, out: FieldProblem[]): void {
  if (out.length >= 20) return;
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) out.push({ field: path, message: MESSAGE });
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  // Plain data only (parsed JSON, form fields, multipart parts, and the parsers' prototype-less
  // objects for parameters and queries); never a Buffer or a stream.
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null && Object.getPrototypeOf(proto) !== null)
    return;
  seen.add(value);
  for (const [key, v] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) out.push({ field, message: `name ${MESSAGE}` });
    collect(v, field, seen, out);
  }
}

/**
 * Text the database cannot store, anywhere in the path parameters, query or body: refused with a
 * 400 naming the fields before any handler runs, instead of failing in PostgreSQL as a 500.
 */
export function unstorableText(req: FastifyRequest): UseCaseError | undefined {
  return unstorableIn([req.params, req.query, req.body]);
}

/** The same check on values read later (an upload's fields, read by its handler). */
export function unstorableIn(values: unknown[]): UseCaseError | undefined {
  const problems: FieldProblem[] = [];
  const seen = new Set<object>();
  for (const part of values) collect(part, '', seen, problems);
  if (problems.length === 0) return undefined;
  return new UseCaseError(
    'invalid',
    'unstorable_text',
    'The request contains a character that cannot be stored: remove any NUL character or half of a surrogate pair',
    problems,
  );
}
