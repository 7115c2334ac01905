/**
 * A monitoring report's figures as flat columns for a spreadsheet: every number and money
 * question by its id, and every cell of a counts table as `<question>.<row>.<column>`. Only
 * numbers ever come out: narrative, text, dates, choices, files and budget lines (whose items are
 * typed by people) are never columns, whatever a report's answers hold.
 */
import { DEFAULT_COUNT_COLUMNS, FormDefinition } from '../forms/form-definition';
import { poundsWithPence } from '../money/pence';

export interface FigureColumn {
  /** The header: `people_supported`, `referrals.police.cost`, `ethnicity.asian_indian.count`. */
  key: string;
  /** Pence, shown in pounds with two decimals; otherwise a whole count. */
  money: boolean;
  question: string;
  row?: string;
  column?: string;
  /** The question that also fills the report's spend to date (read from that column when a report has no answers). */
  bindsSpend?: boolean;
}

/** The figure columns of one or more report forms (versions a fund's reports were answered on), in form order, each key once. */
export function reportFigureColumns(forms: readonly Pick<FormDefinition, 'sections'>[]): FigureColumn[] {
  const out = new Map<string, FigureColumn>();
  const add = (c: FigureColumn) => {
    if (!out.has(c.key)) out.set(c.key, c);
  };
  for (const form of forms) {
    for (const section of form.sections) {
      for (const q of section.questions) {
        if (q.type === 'number') add({ key: q.id, money: false, question: q.id });
        else if (q.type === 'money')
          add({
            key: q.id,
            money: true,
            question: q.id,
            ...(q.binds === 'spendToDatePence' ? { bindsSpend: true } : {}),
          });
        else if (q.type === 'counts') {
          const columns = q.columns && q.columns.length > 0 ? q.columns : DEFAULT_COUNT_COLUMNS;
          for (const row of q.rows ?? []) {
            for (const col of columns) {
              add({
                key: `${q.id}.${row.value}.${col.value}`,
                money: (q.moneyColumns ?? []).includes(col.value),
                question: q.id,
                row: row.value,
                column: col.value,
              });
            }
          }
        }
      }
    }
  }
  return [...out.values()];
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One column's value in a report's answers, or undefined. Anything but a finite number is ignored. */
export function figureValue(column: FigureColumn, answers: Readonly<Record<string, unknown>>): number | undefined {
  const answer = answers[column.question];
  if (column.row === undefined) return finite(answer);
  if (answer === null || typeof answer !== 'object') return undefined;
  const row = (answer as Record<string, unknown>)[column.row];
  if (row !== null && typeof row === 'object') return finite((row as Record<string, unknown>)[column.column ?? '']);
  return undefined;
}

/** A cell as a spreadsheet reads it: counts as whole numbers, money in pounds with two decimals, blank when unanswered. */
export function figureCell(column: FigureColumn, value: number | undefined): string {
  if (value === undefined) return '';
  return column.money ? poundsWithPence(value) : String(value);
}
