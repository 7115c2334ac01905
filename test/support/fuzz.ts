import fc from 'fast-check';
import type { FormDefinition, Question } from '../../libs/domain/src/forms/form-definition';

/**
 * Shared fast-check arbitraries for the fuzz suites: odd values of every JSON type, mutations of a
 * schema-shaped body, answers to a form definition and the HTML fields a form page posts.
 */

/** Ordinary text with a character PostgreSQL cannot store (U+0000, half a surrogate pair) somewhere in it. */
export const unstorableString: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\u0000', '\ud800', '\udfff'), fc.string({ maxLength: 5 }))
  .map(([a, c, b]) => a + c + b);

/** Strings a careless or hostile client sends: control characters, emoji, right-to-left marks, markup, very long. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: unstorableString },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t\n\r ',
      'a\u0000b',
      '\u0000',
      'lone \ud800 surrogate',
      '\udfff',
      '\u202eevil',
      '\ufeff',
      '😀👩🏽‍🤝‍👩🏾🏳️‍🌈',
      'Zoë Ångström Øre ﷽',
      '<script>alert(1)</script>',
      "'; DROP TABLE applications; --",
      '{{constructor.constructor}}',
      '../../etc/passwd',
      '%00%ff',
      '\\u0000',
      'null',
      'true',
      '0',
      '-1',
      '1e400',
      'NaN',
      '2027-02-30',
      '00000000-0000-0000-0000-000000000000',
      '__proto__',
      'constructor',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }).map((n) => '😀'.repeat(n * 700)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'x'.repeat(201),
      'word '.repeat(600),
      'x'.repeat(5_001),
      'x'.repeat(10_001),
      'é'.repeat(60_000),
    ),
  },
);

/** Numbers at and past every limit: negative, fractional, huge, unsafe integers, exponents. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    -1,
    0,
    0.5,
    1.5,
    -0.0001,
    99.999,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    1e15,
    1e21,
    -1e21,
    1e308,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    100_000_000_001,
  ),
);

/** Any JSON value a field should not hold: the wrong type, null, nested junk, an array where an object belongs. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: oddString },
  { weight: 3, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({}, [], [{}], [[]], { lines: null }, { '': '' }, { constructor: { prototype: null } }),
  },
);

/** Field names no DTO has, including ones that mean something to JavaScript objects. */
export const extraKey: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    'id',
    'state',
    'version',
    'fundId',
    'role',
    'userId',
    'isAdmin',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'constructor',
    '',
    ' ',
    '😀',
    'a.b',
    'a[0]',
  ),
);

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push([...prefix, i]);
      paths(v, [...prefix, i], out);
    });
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      paths(v, [...prefix, k], out);
    }
  return out;
}

function containerAt(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let c: unknown = root;
  for (const p of path.slice(0, -1)) c = (c as Record<string | number, unknown>)?.[p];
  return c !== null && typeof c === 'object' ? (c as Record<string | number, unknown>) : undefined;
}

/** One change to a body: a value replaced with junk, a field removed, a field added, the body replaced. */
export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number }
  | { kind: 'whole'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: junkValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: extraKey, value: junkValue }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: junkValue }) },
);

/** Applies mutations to a copy of a JSON body; positions are taken modulo the body's paths, so any mutation fits any body. */
export function applyMutations(body: unknown, mutations: readonly Mutation[]): unknown {
  let root = structuredClone(body);
  for (const m of mutations) {
    // Values are copied: fast-check hands out the same instance of a constant more than once.
    if (m.kind === 'whole') {
      root = structuredClone(m.value);
      continue;
    }
    const all = paths(root);
    if (m.kind === 'add') {
      // Add to the body itself or to any object inside it.
      const objects = [[], ...all].filter((p) => {
        const v = p.length === 0 ? root : containerAt(root, p)?.[p[p.length - 1]];
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      if (objects.length === 0) continue;
      const p = objects[m.at % objects.length];
      const target = (p.length === 0 ? root : containerAt(root, p)![p[p.length - 1]]) as Record<string, unknown>;
      target[m.key] = structuredClone(m.value);
      continue;
    }
    if (all.length === 0) continue;
    const p = all[m.at % all.length];
    const c = containerAt(root, p);
    if (!c) continue;
    const key = p[p.length - 1];
    if (m.kind === 'replace') c[key] = structuredClone(m.value);
    else if (m.kind === 'wrap') c[key] = [c[key]];
    else if (Array.isArray(c)) c.splice(key as number, 1);
    else delete c[key];
  }
  return root;
}

/** A schema-shaped body with one to three mutations. */
export function mutated<T>(base: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([b, ms]) => applyMutations(b, ms));
}

/** Valid bodies most of the time, mutated ones otherwise. */
export function shaped<T>(base: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 1, arbitrary: base as fc.Arbitrary<unknown> }, { weight: 3, arbitrary: mutated(base) });
}

const isoDate = fc.oneof(
  fc
    .date({ min: new Date('1890-01-01'), max: new Date('2250-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2027-02-01', '2027-02-29', '2026-11-30', '2028-01-01', '2027-13-01', '27-02-01', '2027-2-1'),
);

/** A plausible (often valid) answer to one question, or junk. */
export function answerValue(q: Question): fc.Arbitrary<unknown> {
  const options = (q.options ?? []).map((o) => o.value);
  const rows = (q.rows ?? []).map((r) => r.value);
  const columns = (q.columns && q.columns.length > 0 ? q.columns : [{ value: 'count' }]).map((c) => c.value);
  const plausible: fc.Arbitrary<unknown> = (() => {
    switch (q.type) {
      case 'short_text':
      case 'long_text':
        return fc.oneof(fc.string({ maxLength: 60 }), fc.lorem({ maxCount: 40 }), oddString);
      case 'number':
        return fc.oneof(fc.integer({ min: (q.min ?? 0) - 2, max: (q.max ?? 1000) + 2 }), oddNumber);
      case 'money':
        return fc.oneof(fc.integer({ min: -5, max: (q.max ?? 600_000) + 5 }), oddNumber);
      case 'date':
        return fc.oneof(isoDate, oddString);
      case 'single_choice':
        return fc.oneof(fc.constantFrom(...options), oddString);
      case 'multiple_choice':
        return fc.oneof(
          fc.subarray(options),
          fc.array(fc.oneof(fc.constantFrom(...options), oddString), { maxLength: 30 }),
        );
      case 'yes_no':
        return fc.oneof(fc.boolean(), fc.constantFrom('yes', 'no', 'true', 1, 0));
      case 'file':
        return fc.oneof(fc.uuid(), oddString);
      case 'budget':
        return fc.oneof(
          fc.record({
            lines: fc.array(
              fc.record({
                item: fc.oneof(fc.string({ maxLength: 30 }), oddString),
                amountPence: fc.oneof(fc.integer({ min: -5, max: 600_000 }), oddNumber),
              }),
              { maxLength: 25 },
            ),
          }),
          fc.record({ lines: fc.array(junkValue, { maxLength: 4 }) }),
        );
      case 'counts':
        return fc.dictionary(
          fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...rows) }, { weight: 1, arbitrary: extraKey }),
          fc.oneof(
            {
              weight: 4,
              arbitrary: fc.dictionary(
                fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...columns) }, { weight: 1, arbitrary: extraKey }),
                fc.oneof(fc.integer({ min: -2, max: 1_000_002 }), oddNumber, junkValue),
                { maxKeys: 4 },
              ),
            },
            { weight: 1, arbitrary: junkValue },
          ),
          { maxKeys: 12 },
        );
    }
  })();
  return fc.oneof(
    { weight: 4, arbitrary: plausible },
    { weight: 1, arbitrary: junkValue },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** Answers keyed by the form's question ids (any subset), sometimes with ids the form does not have. */
export function answersFor(def: FormDefinition): fc.Arbitrary<Record<string, unknown>> {
  const questions = def.sections.flatMap((s) => s.questions);
  const model = Object.fromEntries(questions.map((q) => [q.id, answerValue(q)]));
  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.dictionary(extraKey, junkValue, { maxKeys: 2 }), fc.boolean())
    .map(([answers, extra, withExtra]) => (withExtra ? { ...answers, ...extra } : answers) as Record<string, unknown>);
}

/** Every input name a question's HTML uses (dates have three, budgets a pair per line, counts a cell each). */
export function inputNames(q: Question): string[] {
  switch (q.type) {
    case 'date':
      return ['day', 'month', 'year'].map((p) => `${q.id}-${p}`);
    case 'budget':
      return Array.from({ length: (q.maxLines ?? 20) + 2 }, (_, i) => [
        `${q.id}-item-${i}`,
        `${q.id}-amount-${i}`,
      ]).flat();
    case 'counts': {
      const columns = q.columns && q.columns.length > 0 ? q.columns : [{ value: 'count' }];
      return (q.rows ?? []).flatMap((r) => columns.map((c) => `${q.id}-${r.value}-${c.value}`));
    }
    default:
      return [q.id];
  }
}

/** Text a person might type into one input, or anything else. */
export const fieldText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      '0',
      '1',
      '12',
      '-3',
      '1,250',
      '£1,250.50',
      '1250.505',
      '12.5',
      'yes',
      'no',
      'agreed',
      'submit',
      'later',
      '31',
      '2',
      '2027',
      '99999999999999999',
      ' 7 ',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: oddString },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }) },
);

/** A form post: some of the page's real inputs (and its options), random names, repeated fields. */
export type FormPost = [string, string][];

export function formPost(knownNames: readonly string[], knownValues: readonly string[] = []): fc.Arbitrary<FormPost> {
  const name =
    knownNames.length > 0
      ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...knownNames) }, { weight: 1, arbitrary: extraKey })
      : extraKey;
  const value =
    knownValues.length > 0
      ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...knownValues) }, { weight: 3, arbitrary: fieldText })
      : fieldText;
  return fc.array(fc.tuple(name, value), { maxLength: 40 });
}

/** Urlencoded, keeping repeated names repeated. */
export function urlencoded(pairs: FormPost): string {
  const p = new URLSearchParams();
  for (const [k, v] of pairs) p.append(k, v);
  return p.toString();
}

/** Bodies that are not JSON at all, or JSON a parser should refuse. */
export const MALFORMED_JSON: readonly string[] = [
  '{',
  '{"a":',
  '[1,2',
  'nul',
  '{"a":1}}',
  "{'a':1}",
  '{"a":"\\x"}',
  '{"a": 01}',
  'NaN',
  '{"a": Infinity}',
  '\u0000',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"__proto__": {"isAdmin": true}}',
  '{"constructor": {"prototype": {"isAdmin": true}}}',
  '{"a": 1, "a": 2}',
  '"just a string"',
  '42',
  'true',
  'null',
  '[]',
  '[{}]',
  '{}',
  '{"answers": {"__proto__": {"x": 1}}}',
  '\ufeff{}',
];
