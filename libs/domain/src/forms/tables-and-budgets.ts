// Counts tables and budgets: the two answer types with rows of their own, checked cell by cell,
// and the totals they must reach when an application or report is submitted.
import { formatPounds } from '../money/pence';
import {
  budgetTarget,
  countColumns,
  DEFAULT_BUDGET_LINES,
  DEFAULT_SHORT_TEXT,
  FormDefinition,
  MAX_COUNT,
  Question,
} from './form-definition';
import { AnswerProblem, AnswerValue, BudgetLine, Checked, CountsValue, problem } from './answer-types';

export function checkCounts(q: Question, raw: unknown): Checked {
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
export function countTotalProblems(
  questions: Question[],
  answers: Readonly<Record<string, AnswerValue>>,
): AnswerProblem[] {
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

export function checkBudget(q: Question, raw: unknown): Checked {
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
export function budgetProblems(
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
