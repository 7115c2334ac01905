import { formatPounds } from '../money/pence';
import {
  Binding,
  budgetTarget,
  countColumns,
  DEFAULT_BUDGET_LINES,
  DEFAULT_LONG_TEXT,
  DEFAULT_SHORT_TEXT,
  FormDefinition,
  MAX_COUNT,
  Question,
  allQuestions,
} from './form-definition';

export interface BudgetLine {
  item: string;
  amountPence: number;
}

/**
 * One answer, by question type: text, dates (YYYY-MM-DD) and single choices are strings; numbers
 * and money (pence) are integers; multiple choices are string arrays; yes/no is a boolean; a file
 * is the id of a file uploaded to this application for this question; a budget is its lines; a
 * counts table is numbers by row and column.
 */
export type AnswerValue =
  string | number | boolean | readonly string[] | { lines: readonly BudgetLine[] } | CountsValue;

/** A counts table: row → column → a whole number (pence in money columns). Missing cells are 0. */
export type CountsValue = Readonly<Record<string, Readonly<Record<string, number>>>>;
export type Answers = Readonly<Record<string, AnswerValue>>;

/** A problem with one answer. `code` and `params` let a page say it in another language. */
export interface AnswerProblem {
  field: string;
  questionId: string;
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

export interface ValidationContext {
  /** Files uploaded to this application: id → the question they were uploaded for. */
  files: ReadonlyMap<string, string>;
}

export type ValidationMode = 'draft' | 'submit';

export interface ValidationResult {
  /** The answers that are valid and visible; hidden conditional answers are dropped. */
  answers: Record<string, AnswerValue>;
  problems: AnswerProblem[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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

function problem(
  q: Question,
  field: string,
  code: string,
  message: string,
  params?: AnswerProblem['params'],
): AnswerProblem {
  return { field: `answers.${field}`, questionId: q.id, code, message, ...(params ? { params } : {}) };
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

type Checked = { value: AnswerValue } | { problem: AnswerProblem };

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

function checkCounts(q: Question, raw: unknown): Checked {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { problem: problem(q, q.id, 'not_counts', `"${q.label}" must be numbers by row`) };
  const rows = new Map((q.rows ?? []).map((r) => [r.value, r.label]));
  const columns = new Map(countColumns(q).map((c) => [c.value, c.label]));
  const clean: Record<string, Record<string, number>> = {};
  for (const [row, cells] of Object.entries(raw as Record<string, unknown>)) {
    if (!rows.has(row))
      return { problem: problem(q, `${q.id}.${row}`, 'unknown_row', `"${q.label}" has no row "${row}"`) };
    if (typeof cells !== 'object' || cells === null || Array.isArray(cells))
      return {
        problem: problem(q, `${q.id}.${row}`, 'not_counts', `"${q.label}", ${rows.get(row)}: numbers by column`),
      };
    for (const [column, n] of Object.entries(cells as Record<string, unknown>)) {
      if (!columns.has(column))
        return {
          problem: problem(q, `${q.id}.${row}.${column}`, 'unknown_column', `"${q.label}" has no column "${column}"`),
        };
      const money = (q.moneyColumns ?? []).includes(column);
      const max = money ? 100_000_000 : MAX_COUNT;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > max) {
        const what = money
          ? 'an amount in pounds, 0 or more'
          : `a whole number from 0 to ${MAX_COUNT.toLocaleString('en-GB')}`;
        return {
          problem: problem(
            q,
            `${q.id}.${row}.${column}`,
            money ? 'not_pence' : 'not_a_count',
            `"${q.label}", ${rows.get(row)}, ${columns.get(column)}: enter ${what}`,
            { row, column },
          ),
        };
      }
      if (n > 0) (clean[row] ??= {})[column] = n;
    }
  }
  return { value: clean };
}

/** A table's first column in all, e.g. the people counted in an equality table. */
export function countsTotal(q: Question, value: CountsValue | undefined, column = countColumns(q)[0].value): number {
  return Object.values(value ?? {}).reduce((sum, cells) => sum + (cells[column] ?? 0), 0);
}

/** Tables that must add up to a number answer (equality tables to the people supported) do. */
function countTotalProblems(questions: Question[], answers: Readonly<Record<string, AnswerValue>>): AnswerProblem[] {
  return questions.flatMap((q) => {
    if (q.type !== 'counts' || !q.totalMustEqual || answers[q.id] === undefined) return [];
    const expected = answers[q.totalMustEqual];
    if (typeof expected !== 'number') return [];
    const total = countsTotal(q, answers[q.id] as CountsValue);
    if (total === expected) return [];
    const of = questions.find((x) => x.id === q.totalMustEqual)!;
    return [
      problem(
        q,
        q.id,
        'total_does_not_match',
        `"${q.label}" adds up to ${total} but "${of.label}" is ${expected}: use the last row for anyone not known`,
        { total, expected },
      ),
    ];
  });
}

function checkBudget(q: Question, raw: unknown): Checked {
  const lines =
    typeof raw === 'object' && raw !== null && 'lines' in raw ? (raw as { lines: unknown }).lines : undefined;
  if (!Array.isArray(lines)) return { problem: problem(q, q.id, 'not_a_budget', 'The budget must be a list of lines') };
  const max = q.maxLines ?? DEFAULT_BUDGET_LINES;
  if (lines.length > max)
    return { problem: problem(q, q.id, 'too_many_lines', `The budget can have at most ${max} lines`, { max }) };
  const clean: BudgetLine[] = [];
  for (const [i, line] of lines.entries()) {
    const item = typeof line?.item === 'string' ? line.item.trim().replace(/\s+/g, ' ') : undefined;
    const amount = line?.amountPence;
    if (!item)
      return {
        problem: problem(
          q,
          `${q.id}.lines[${i}].item`,
          'budget_item_missing',
          `Budget line ${i + 1}: say what the money is for`,
          { line: i + 1 },
        ),
      };
    if (item.length > DEFAULT_SHORT_TEXT)
      return {
        problem: problem(
          q,
          `${q.id}.lines[${i}].item`,
          'too_long',
          `Budget line ${i + 1}: use ${DEFAULT_SHORT_TEXT} characters or fewer`,
          { line: i + 1, max: DEFAULT_SHORT_TEXT },
        ),
      };
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) {
      return {
        problem: problem(
          q,
          `${q.id}.lines[${i}].amountPence`,
          'budget_amount_invalid',
          `Budget line ${i + 1}: enter an amount of at least 1p`,
          { line: i + 1 },
        ),
      };
    }
    clean.push({ item, amountPence: amount });
  }
  return { value: { lines: clean } };
}

/** The budget's lines must add up to the amount requested (a report's: the spend to date), to the penny. */
function budgetProblems(
  def: FormDefinition,
  questions: Question[],
  answers: Readonly<Record<string, AnswerValue>>,
): AnswerProblem[] {
  const budget = questions.find((q) => q.type === 'budget');
  const target = budgetTarget(def);
  const amountQ = questions.find((q) => q.binds === target);
  if (!budget || !amountQ) return [];
  const value = answers[budget.id] as { lines: BudgetLine[] } | undefined;
  const requested = answers[amountQ.id];
  if (!value || typeof requested !== 'number') return [];
  const total = budgetTotal(value.lines);
  if (total === requested) return [];
  const message =
    target === 'requestedPence'
      ? `The budget adds up to ${formatPounds(total)} but you are asking for ${formatPounds(requested)}: they must be the same`
      : `The spending lines add up to ${formatPounds(total)} but you have spent ${formatPounds(requested)} so far: they must be the same`;
  return [
    problem(budget, budget.id, 'budget_does_not_add_up', message, {
      total: formatPounds(total),
      requested: formatPounds(requested),
    }),
  ];
}

export function budgetTotal(lines: readonly BudgetLine[]): number {
  return lines.reduce((sum, l) => sum + l.amountPence, 0);
}

export function countWords(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

export function isRealDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return (
    y >= 1900 && y <= 2200 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
  );
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "1 December 2026", the GOV.UK style for dates. */
export function humanDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : iso;
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
