import {
  countColumns,
  DEFAULT_BUDGET_LINES,
  FormDefinition,
  formatPounds,
  parsePounds,
  PostedFields,
  Question,
} from '@sg/domain';
import { Messages } from './messages';

export interface QuestionView {
  id: string;
  type: string;
  label: string;
  hint?: string;
  conditionText?: string;
  error?: string;
  value?: string;
  maxWords?: number;
  options?: { value: string; label: string; hint?: string; checked: boolean; groupHeading?: string }[];
  dateParts?: { name: string; label: string; width: number; value: string }[];
  rows?: { i: number; n: number; item: string; amount: string }[];
  total?: string;
  file?: { id: string; name: string };
  /** counts: the column headings and, per row, one input per cell. */
  table?: {
    columns: { label: string }[];
    rows: { label: string; cells: { name: string; label: string; value: string; money: boolean }[] }[];
  };
  /** Free text in a report: a reminder that nothing may identify a person. */
  personalDataWarning?: boolean;
}

/** Where an error summary link for a question should land: its first input. */
export function firstInputId(q: Pick<Question, 'type' | 'id' | 'rows' | 'columns'>): string {
  if (q.type === 'date') return `${q.id}-day`;
  if (q.type === 'budget') return `${q.id}-item-0`;
  if (q.type === 'counts') return `${q.id}-${q.rows?.[0]?.value}-${countColumns(q as Question)[0].value}`;
  return q.id;
}

const text = (fields: PostedFields, name: string): string => {
  const v = fields[name];
  return (Array.isArray(v) ? v[0] : (v as string | undefined)) ?? '';
};

/**
 * A question as the `question` partial draws it, from the HTML fields that hold its answer (a
 * stored answer turned into fields, or what was just posted, so that a refused value is shown back
 * exactly as typed).
 */
export function questionView(
  q: Question,
  fields: PostedFields,
  messages: Messages,
  extras: {
    error?: string;
    def?: FormDefinition;
    files?: ReadonlyMap<string, string>;
    groups?: ReadonlyMap<string, string>;
  } = {},
): QuestionView {
  const view: QuestionView = { id: q.id, type: q.type, label: q.label, hint: q.hint, error: extras.error };
  if (extras.def?.purpose === 'report' && (q.type === 'long_text' || q.type === 'short_text'))
    view.personalDataWarning = true;
  if (q.showIf && extras.def) {
    const trigger = extras.def.sections.flatMap((s) => s.questions).find((x) => x.id === q.showIf!.question);
    const expected = q.showIf.equals;
    const answer =
      typeof expected === 'boolean'
        ? messages.t(expected ? 'form.yes' : 'form.no')
        : [expected]
            .flat()
            .map((v) => trigger?.options?.find((o) => o.value === v)?.label ?? v)
            .join(' / ');
    view.conditionText = messages.t('form.onlyIf', { question: trigger?.label ?? '', answer });
  }
  switch (q.type) {
    case 'short_text':
    case 'long_text':
    case 'number':
    case 'money':
      view.value = text(fields, q.id);
      view.maxWords = q.maxWords;
      break;
    case 'date':
      view.dateParts = [
        { name: 'day', label: messages.t('form.day'), width: 2, value: text(fields, `${q.id}-day`) },
        { name: 'month', label: messages.t('form.month'), width: 2, value: text(fields, `${q.id}-month`) },
        { name: 'year', label: messages.t('form.year'), width: 4, value: text(fields, `${q.id}-year`) },
      ];
      break;
    case 'yes_no':
      view.options = [
        { value: 'yes', label: messages.t('form.yes'), checked: text(fields, q.id) === 'yes' },
        { value: 'no', label: messages.t('form.no'), checked: text(fields, q.id) === 'no' },
      ];
      break;
    case 'single_choice':
    case 'multiple_choice': {
      const chosen = [fields[q.id] ?? []].flat();
      let lastGroup: string | undefined;
      view.options = (q.options ?? []).map((o) => {
        const group = extras.groups?.get(o.value);
        const heading = group !== undefined && group !== lastGroup ? group : undefined;
        lastGroup = group;
        return {
          value: o.value,
          label: o.label,
          hint: o.hint,
          checked: chosen.includes(o.value),
          ...(heading ? { groupHeading: heading } : {}),
        };
      });
      break;
    }
    case 'file': {
      const id = text(fields, q.id);
      const name = id ? extras.files?.get(id) : undefined;
      if (id && name) view.file = { id, name };
      break;
    }
    case 'counts': {
      const columns = countColumns(q);
      const money = new Set(q.moneyColumns ?? []);
      view.table = {
        columns: columns.map((c) => ({ label: c.label })),
        rows: (q.rows ?? []).map((r) => ({
          label: r.label,
          cells: columns.map((c) => ({
            name: `${q.id}-${r.value}-${c.value}`,
            label: `${r.label}: ${c.label}`,
            value: text(fields, `${q.id}-${r.value}-${c.value}`),
            money: money.has(c.value),
          })),
        })),
      };
      break;
    }
    case 'budget': {
      const max = q.maxLines ?? DEFAULT_BUDGET_LINES;
      let used = 0;
      for (let i = 0; i < max + 5; i++)
        if (text(fields, `${q.id}-item-${i}`) || text(fields, `${q.id}-amount-${i}`)) used = i + 1;
      const count = Math.min(max, Math.max(5, used + 2));
      view.rows = Array.from({ length: count }, (_, i) => ({
        i,
        n: i + 1,
        item: text(fields, `${q.id}-item-${i}`),
        amount: text(fields, `${q.id}-amount-${i}`),
      }));
      const amounts = view.rows.map((r) => (r.amount ? parsePounds(r.amount) : 0));
      if (amounts.every((a) => a !== null) && amounts.some((a) => (a ?? 0) > 0))
        view.total = formatPounds(amounts.reduce((s: number, a) => s + (a ?? 0), 0));
      break;
    }
  }
  return view;
}
