import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { allQuestions, FormDefinition } from './form-definition';
import { answerFromFields, PostedFields } from './page-fields';
import { validateAnswers, ValidationContext } from './validate-answers';
import { answersFor, formPost, FormPost, inputNames, junkValue } from '../../../../test/support/fuzz';

/**
 * The validator is the one judge of answers from the API and the pages, so no input may make it
 * throw: random answers (schema-shaped and not) against the pilot's forms, and random posted HTML
 * fields read by answerFromFields first, as the pages do.
 */
const FORMS = [
  'cleveland-pilot-application.v1.json',
  'cleveland-pilot-application.v2.json',
  'cleveland-pilot-report.v1.json',
].map((f) => JSON.parse(readFileSync(join(__dirname, '../../../../config/forms', f), 'utf8')) as FormDefinition);
const RUNS = { numRuns: 300, seed: 20_270_401 };

const mode = fc.constantFrom('draft' as const, 'submit' as const);
const context = (def: FormDefinition): fc.Arbitrary<ValidationContext> => {
  const fileQuestions = allQuestions(def)
    .filter((q) => q.type === 'file')
    .map((q) => q.id);
  return fc
    .array(
      fc.tuple(
        fc.oneof(fc.uuid(), fc.string({ maxLength: 8 })),
        fc.oneof(fc.constantFrom(...fileQuestions, 'nope'), fc.string({ maxLength: 8 })),
      ),
      { maxLength: 3 },
    )
    .map((files) => ({ files: new Map(files) }));
};

function fieldsOf(pairs: FormPost): PostedFields {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** What must hold of any result, whatever went in. */
function checkResult(
  def: FormDefinition,
  given: Record<string, unknown>,
  result: ReturnType<typeof validateAnswers>,
): void {
  const ids = new Set(allQuestions(def).map((q) => q.id));
  for (const id of Object.keys(result.answers)) expect(ids.has(id)).toBe(true);
  for (const p of result.problems) {
    expect(p.field.startsWith('answers.')).toBe(true);
    expect(ids.has(p.questionId) || Object.prototype.hasOwnProperty.call(given, p.questionId)).toBe(true);
    expect(typeof p.message).toBe('string');
  }
  // An answer that passed is accepted again, unchanged, in draft mode.
  expect(() => validateAnswers(def, result.answers, 'draft', { files: new Map() })).not.toThrow();
}

describe.each(FORMS.map((def) => [`${def.key} v${def.version}`, def] as const))(
  'validateAnswers on %s',
  (_name, def) => {
    it('never throws on schema-shaped random answers, and reports only its own questions', () => {
      fc.assert(
        fc.property(answersFor(def), mode, context(def), (given, m, ctx) => {
          checkResult(def, given, validateAnswers(def, given, m, ctx));
        }),
        RUNS,
      );
    });

    it('never throws on arbitrary values as answers', () => {
      const ids = allQuestions(def).map((q) => q.id);
      const given = fc.oneof(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...ids), fc.string()),
          fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
        ),
        fc.dictionary(fc.constantFrom(...ids), junkValue),
      );
      fc.assert(
        fc.property(given, mode, context(def), (g, m, ctx) => {
          checkResult(def, g as Record<string, unknown>, validateAnswers(def, g as Record<string, unknown>, m, ctx));
        }),
        RUNS,
      );
    });

    it('never throws on random posted fields read by answerFromFields, then validated', () => {
      const names = def.sections.flatMap((s) => s.questions.flatMap(inputNames));
      const values = allQuestions(def).flatMap((q) => [
        ...(q.options ?? []).map((o) => o.value),
        ...(q.type === 'yes_no' ? ['yes', 'no'] : []),
      ]);
      fc.assert(
        fc.property(formPost(names, values), mode, context(def), (pairs, m, ctx) => {
          const fields = fieldsOf(pairs);
          const patch: Record<string, unknown> = {};
          for (const q of allQuestions(def)) {
            const read = answerFromFields(q, fields);
            if ('value' in read) patch[q.id] = read.value;
            else if ('problem' in read) expect(read.problem.questionId).toBe(q.id);
          }
          checkResult(def, patch, validateAnswers(def, patch, m, ctx));
        }),
        RUNS,
      );
    });
  },
);
