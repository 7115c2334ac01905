import { formatPounds } from '../money/pence';
import {
  allQuestions,
  Binding,
  DEFAULT_LONG_TEXT,
  DEFAULT_SHORT_TEXT,
  FormDefinition,
  Question,
} from './form-definition';
import {
  AnswerProblem,
  AnswerValue,
  Checked,
  problem,
  ValidationContext,
  ValidationMode,
  ValidationResult,
} from './answer-types';
import { countWords, humanDate, isRealDate } from './dates-and-words';
import { budgetProblems, checkBudget, checkCounts, countTotalProblems } from './tables-and-budgets';

export type {
  AnswerProblem,
  AnswerValue,
  Answers,
  BudgetLine,
  CountsValue,
  ValidationContext,
  ValidationMode,
  ValidationResult,
} from './answer-types';
export { countWords, humanDate, isRealDate } from './dates-and-words';
export { budgetTotal, countsTotal } from './tables-and-budgets';

/**
 * The one validator for a form: the API, the pages and submission all call it. In `draft` mode a
 * missing answer is fine but every given answer must be valid; in `submit` mode every visible
 * required question must be answered and the budget must add up to the amount requested.
 * Problems come in the form's question order, so an error summary reads top to bottom.
 */
export function validateAnswers(
  def: FormDefinition,
  given: Readonly<Record<string, unknown>>,
  mode: ValidationMode,
  ctx: ValidationContext,
): ValidationResult {
  const questions = allQuestions(def);
  const problems: AnswerProblem[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(given)) {
    if (!known.has(id))
      problems.push({
        field: `answers.${id}`,
        questionId: id,
        code: 'unknown_question',
        message: 'This form has no such question',
      });
  }
  const answers: Record<string, AnswerValue> = {};
  for (const q of questions) {
    if (!isVisible(q, answers)) continue;
    const raw = given[q.id];
    if (raw === undefined || raw === null || isBlank(raw)) {
      if (mode === 'submit' && q.required) problems.push(problem(q, q.id, 'required', requiredMessage(q)));
      continue;
    }
    const checked = checkAnswer(q, raw, ctx);
    if ('problem' in checked) problems.push(checked.problem);
    else answers[q.id] = checked.value;
  }
  if (mode === 'submit')
    problems.push(...budgetProblems(def, questions, answers), ...countTotalProblems(questions, answers));
  return { answers, problems };
}

/** Whether a conditional question applies, given the answers so far. */
export function isVisible(q: Question, answers: Readonly<Record<string, unknown>>): boolean {
  if (!q.showIf) return true;
  const actual = answers[q.showIf.question];
  const expected = q.showIf.equals;
  if (Array.isArray(expected)) {
    const chosen = Array.isArray(actual) ? actual : [actual];
    return chosen.some((v) => expected.includes(v as string));
  }
  if (Array.isArray(actual)) return actual.includes(expected as string);
  return actual === expected;
}

function isBlank(v: unknown): boolean {
  return (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function requiredMessage(q: Question): string {
  switch (q.type) {
    case 'single_choice':
    case 'multiple_choice':
    case 'yes_no':
      return `Select an answer for "${q.label}"`;
    case 'file':
      return `Upload a file for "${q.label}"`;
    case 'budget':
      return 'Add at least one budget line';
    default:
      return `Enter an answer for "${q.label}"`;
  }
}

function checkAnswer(q: Question, raw: unknown, ctx: ValidationContext): Checked {
  const bad = (code: string, message: string, params?: AnswerProblem['params']): Checked => ({
    problem: problem(q, q.id, code, message, params),
  });
  switch (q.type) {
    case 'short_text':
    case 'long_text': {
      if (typeof raw !== 'string') return bad('not_text', `"${q.label}" must be text`);
      const text = q.type === 'short_text' ? raw.trim().replace(/\s+/g, ' ') : raw.trim().replace(/\r\n/g, '\n');
      const maxLength = q.maxLength ?? (q.type === 'short_text' ? DEFAULT_SHORT_TEXT : DEFAULT_LONG_TEXT);
      if (text.length > maxLength)
        return bad('too_long', `"${q.label}" must be ${maxLength} characters or fewer`, { max: maxLength });
      if (q.maxWords !== undefined) {
        const words = countWords(text);
        if (words > q.maxWords)
          return bad('too_many_words', `"${q.label}" must be ${q.maxWords} words or fewer (you have ${words})`, {
            max: q.maxWords,
            words,
          });
      }
      return { value: text };
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw))
        return bad('not_whole_number', `"${q.label}" must be a whole number`);
      if (q.min !== undefined && raw < q.min)
        return bad('too_small', `"${q.label}" must be ${q.min} or more`, { min: q.min });
      if (q.max !== undefined && raw > q.max)
        return bad('too_large', `"${q.label}" must be ${q.max} or less`, { max: q.max });
      return { value: raw };
    }
    case 'money': {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw))
        return bad('not_pence', `"${q.label}" must be a whole number of pence`);
      const min = q.min ?? 1;
      if (raw < min)
        return bad('too_small', `"${q.label}" must be ${formatPounds(min)} or more`, { min: formatPounds(min) });
      if (q.max !== undefined && raw > q.max)
        return bad('too_large', `"${q.label}" must be ${formatPounds(q.max)} or less`, { max: formatPounds(q.max) });
      return { value: raw };
    }
    case 'date': {
      if (typeof raw !== 'string' || !isRealDate(raw)) return bad('not_a_date', `"${q.label}" must be a real date`);
      if (q.earliest && raw < q.earliest)
        return bad('too_early', `"${q.label}" must be on or after ${humanDate(q.earliest)}`, {
          earliest: humanDate(q.earliest),
        });
      if (q.latest && raw > q.latest)
        return bad('too_late', `"${q.label}" must be on or before ${humanDate(q.latest)}`, {
          latest: humanDate(q.latest),
        });
      return { value: raw };
    }
    case 'single_choice': {
      if (typeof raw !== 'string' || !q.options?.some((o) => o.value === raw))
        return bad('not_an_option', `Select one of the options for "${q.label}"`);
      return { value: raw };
    }
    case 'multiple_choice': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string' || !q.options?.some((o) => o.value === v))) {
        return bad('not_an_option', `Select only the options listed for "${q.label}"`);
      }
      const unique = [...new Set(raw as string[])];
      if (q.maxChoices !== undefined && unique.length > q.maxChoices)
        return bad('too_many_choices', `Select at most ${q.maxChoices} for "${q.label}"`, { max: q.maxChoices });
      // Keep the form's order, whatever order they were ticked in.
      return { value: q.options!.map((o) => o.value).filter((v) => unique.includes(v)) };
    }
    case 'yes_no': {
      if (typeof raw !== 'boolean') return bad('not_yes_no', `Select yes or no for "${q.label}"`);
      return { value: raw };
    }
    case 'file': {
      if (typeof raw !== 'string' || ctx.files.get(raw) !== q.id)
        return bad('unknown_file', `Upload the file for "${q.label}" again`);
      return { value: raw };
    }
    case 'budget':
      return checkBudget(q, raw);
    case 'counts':
      return checkCounts(q, raw);
  }
}

/** The columns the answers fill (an application's title, amount, risk tier; a report's narrative and spend). */
export function boundFields(
  def: FormDefinition,
  answers: Readonly<Record<string, AnswerValue>>,
): Partial<Record<Binding, string | number>> {
  const out: Partial<Record<Binding, string | number>> = {};
  for (const q of allQuestions(def)) {
    if (q.binds && answers[q.id] !== undefined) out[q.binds] = answers[q.id] as string | number;
  }
  return out;
}
