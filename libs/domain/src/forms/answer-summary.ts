import { formatPounds } from '../money/pence';
import { countColumns, FormDefinition, Question } from './form-definition';
import { AnswerValue, BudgetLine, CountsValue, humanDate, isVisible } from './validate-answers';

export interface SummaryRow {
  questionId: string;
  label: string;
  /** Lines of text as a person reads them; empty when not answered. */
  lines: string[];
}

export interface SummarySection {
  id: string;
  title: string;
  rows: SummaryRow[];
}

/**
 * The answers as a person reads them, section by section, for "check your answers", the
 * application's page and the receipt email. Hidden conditional questions are left out.
 */
export function answerSummary(
  def: FormDefinition,
  answers: Readonly<Record<string, AnswerValue>>,
  fileNames: ReadonlyMap<string, string> = new Map(),
): SummarySection[] {
  return def.sections.map((s) => ({
    id: s.id,
    title: s.title,
    rows: s.questions
      .filter((q) => isVisible(q, answers))
      .map((q) => ({ questionId: q.id, label: q.label, lines: displayLines(q, answers[q.id], fileNames) })),
  }));
}

function displayLines(q: Question, v: AnswerValue | undefined, fileNames: ReadonlyMap<string, string>): string[] {
  if (v === undefined) return [];
  const label = (value: string) => q.options?.find((o) => o.value === value)?.label ?? value;
  switch (q.type) {
    case 'money':
      return [formatPounds(v as number)];
    case 'number':
      return [String(v)];
    case 'date':
      return [humanDate(v as string)];
    case 'yes_no':
      return [v ? 'Yes' : 'No'];
    case 'single_choice':
      return [label(v as string)];
    case 'multiple_choice':
      return (v as string[]).map(label);
    case 'file':
      return [fileNames.get(v as string) ?? 'File uploaded'];
    case 'counts': {
      // Only the rows with something in them, each as "Row: column n, column n".
      const columns = countColumns(q);
      const money = new Set(q.moneyColumns ?? []);
      const lines = (q.rows ?? []).flatMap((r) => {
        const cells = (v as CountsValue)[r.value];
        if (!cells) return [];
        const parts = columns
          .filter((c) => cells[c.value] !== undefined)
          .map(
            (c) =>
              `${columns.length > 1 ? `${c.label} ` : ''}${money.has(c.value) ? formatPounds(cells[c.value]) : cells[c.value]}`,
          );
        return parts.length ? [`${r.label}: ${parts.join(', ')}`] : [];
      });
      return lines.length ? lines : ['None'];
    }
    case 'budget': {
      const lines = (v as { lines: BudgetLine[] }).lines;
      const total = lines.reduce((a, l) => a + l.amountPence, 0);
      return [...lines.map((l) => `${l.item}: ${formatPounds(l.amountPence)}`), `Total: ${formatPounds(total)}`];
    }
    default:
      return (v as string).split('\n');
  }
}
