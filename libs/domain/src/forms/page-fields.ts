import { countColumns, DEFAULT_BUDGET_LINES, Question } from './form-definition';
import { AnswerProblem, AnswerValue, BudgetLine, CountsValue } from './validate-answers';

/** What a browser posts: every field is text, repeated fields are lists. */
export type PostedFields = Readonly<Record<string, string | readonly string[] | undefined>>;

export type ReadAnswer = { value: AnswerValue } | { blank: true } | { problem: AnswerProblem };

/**
 * Turns a question's posted HTML fields into the value the validator checks, so that a page and an
 * API client go through the same rules. Only the shape is read here (e.g. "£1,250.50" → 125050);
 * limits are the validator's.
 */
export function answerFromFields(q: Question, fields: PostedFields): ReadAnswer {
  const text = (name: string) => {
    const v = fields[name];
    return (Array.isArray(v) ? v[0] : (v as string | undefined)) ?? '';
  };
  const bad = (code: string, message: string, field = q.id): ReadAnswer => ({
    problem: { field: `answers.${field}`, questionId: q.id, code, message },
  });
  switch (q.type) {
    case 'short_text':
    case 'long_text':
    case 'single_choice':
      return text(q.id).trim() === '' ? { blank: true } : { value: text(q.id) };
    case 'file':
      return text(q.id).trim() === '' ? { blank: true } : { value: text(q.id).trim() };
    case 'yes_no': {
      const v = text(q.id);
      return v === 'yes'
        ? { value: true }
        : v === 'no'
          ? { value: false }
          : v === ''
            ? { blank: true }
            : bad('not_yes_no', `Select yes or no for "${q.label}"`);
    }
    case 'multiple_choice': {
      const v = fields[q.id];
      const list = (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');
      return list.length === 0 ? { blank: true } : { value: list };
    }
    case 'number': {
      const t = text(q.id).trim().replace(/,/g, '');
      if (t === '') return { blank: true };
      return /^-?\d{1,15}$/.test(t)
        ? { value: Number(t) }
        : bad('not_whole_number', `"${q.label}" must be a whole number, like 12`);
    }
    case 'money': {
      const t = text(q.id).trim();
      if (t === '') return { blank: true };
      const pence = parsePounds(t);
      return pence === null
        ? bad('not_money', `"${q.label}" must be an amount in pounds, like 1250 or 1250.50`)
        : { value: pence };
    }
    case 'date': {
      const [d, m, y] = ['day', 'month', 'year'].map((part) => text(`${q.id}-${part}`).trim());
      if (d === '' && m === '' && y === '') return { blank: true };
      if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y))
        return bad('not_a_date', `"${q.label}" must be a real date, like 27 3 2027`);
      return { value: `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` };
    }
    case 'budget': {
      const lines: BudgetLine[] = [];
      const max = (q.maxLines ?? DEFAULT_BUDGET_LINES) + 5;
      for (let i = 0; i < max; i++) {
        const item = text(`${q.id}-item-${i}`).trim();
        const amount = text(`${q.id}-amount-${i}`).trim();
        if (item === '' && amount === '') continue;
        const pence = amount === '' ? 0 : parsePounds(amount);
        if (pence === null)
          return bad(
            'not_money',
            `Budget line ${lines.length + 1}: the amount must be in pounds, like 250 or 250.50`,
            `${q.id}.lines[${lines.length}].amountPence`,
          );
        lines.push({ item, amountPence: pence });
      }
      return lines.length === 0 ? { blank: true } : { value: { lines } };
    }
    case 'counts': {
      // One input per cell, named question-row-column; a blank cell is 0, a wholly blank table unanswered.
      const value: Record<string, Record<string, number>> = {};
      let any = false;
      for (const row of q.rows ?? []) {
        for (const column of countColumns(q)) {
          const name = `${q.id}-${row.value}-${column.value}`;
          const t = text(name).trim().replace(/,/g, '');
          if (t === '') continue;
          any = true;
          const money = (q.moneyColumns ?? []).includes(column.value);
          const n = money ? parsePounds(t) : /^\d{1,9}$/.test(t) ? Number(t) : null;
          if (n === null) {
            return bad(
              money ? 'not_money' : 'not_a_count',
              `"${q.label}", ${row.label}, ${column.label}: enter ${money ? 'an amount in pounds, like 25 or 25.50' : 'a whole number, like 3'}`,
              `${q.id}.${row.value}.${column.value}`,
            );
          }
          (value[row.value] ??= {})[column.value] = n;
        }
      }
      return any ? { value } : { blank: true };
    }
  }
}

/** "£1,250.50", "1250.5" or "1250" → pence; anything else (negative, three decimals, words) → null. */
export function parsePounds(input: string): number | null {
  const t = input
    .trim()
    .replace(/^£/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + (m[2] ? Number(m[2].padEnd(2, '0')) : 0);
}

/** Pence as a page shows them in an input: 125050 → "1250.50", 500000 → "5000". */
export function penceForInput(pence: number): string {
  // Integer arithmetic only: pence never pass through a float on the way to the page.
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  return rest === 0 ? String(pounds) : `${pounds}.${String(rest).padStart(2, '0')}`;
}

/** The inverse of answerFromFields: a stored answer as the HTML fields that show it. */
export function fieldsFromAnswer(q: Question, value: AnswerValue | undefined): Record<string, string | string[]> {
  if (value === undefined) return {};
  switch (q.type) {
    case 'number':
      return { [q.id]: String(value) };
    case 'money':
      return { [q.id]: penceForInput(value as number) };
    case 'yes_no':
      return { [q.id]: value ? 'yes' : 'no' };
    case 'multiple_choice':
      return { [q.id]: [...(value as readonly string[])] };
    case 'date': {
      const [y, m, d] = (value as string).split('-');
      return { [`${q.id}-day`]: String(Number(d)), [`${q.id}-month`]: String(Number(m)), [`${q.id}-year`]: y };
    }
    case 'counts': {
      const out: Record<string, string> = {};
      for (const [row, cells] of Object.entries(value as CountsValue)) {
        for (const [column, n] of Object.entries(cells))
          out[`${q.id}-${row}-${column}`] = (q.moneyColumns ?? []).includes(column) ? penceForInput(n) : String(n);
      }
      return out;
    }
    case 'budget': {
      const out: Record<string, string> = {};
      (value as { lines: readonly BudgetLine[] }).lines.forEach((l, i) => {
        out[`${q.id}-item-${i}`] = l.item;
        out[`${q.id}-amount-${i}`] = penceForInput(l.amountPence);
      });
      return out;
    }
    default:
      return { [q.id]: String(value) };
  }
}
