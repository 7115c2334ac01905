/**
 * A fund's application form as an administrator writes it (config/forms/*.json). The same
 * definition drives the API's validation, the portal's pages and the receipt email, so a fund can
 * change its questions without code. A definition is immutable once published: a change is a new
 * version, and an application keeps the version it was started on.
 */
export const QUESTION_TYPES = [
  'short_text',
  'long_text',
  'number',
  'money',
  'date',
  'single_choice',
  'multiple_choice',
  'yes_no',
  'file',
  'budget',
  'counts',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * Columns that some answers also fill, so that lists and the machine can read them: an
 * application's title, summary, amount and risk tier; a report's narrative and spend to date.
 */
export const BINDINGS = [
  'title',
  'summary',
  'requestedPence',
  'activityRiskTier',
  'narrative',
  'spendToDatePence',
] as const;
export type Binding = (typeof BINDINGS)[number];

export interface ChoiceOption {
  value: string;
  label: string;
  hint?: string;
}

/** Show the question only when another (earlier) question has one of these answers. */
export interface ShowIf {
  question: string;
  /** For yes/no: true or false; for choices: one of these values is chosen. */
  equals: string | boolean | readonly string[];
}

export interface Question {
  id: string;
  type: QuestionType;
  label: string;
  hint?: string;
  required?: boolean;
  showIf?: ShowIf;
  binds?: Binding;
  /** What an answer to this question is evidence of, for the assessment (e.g. a safeguarding policy file). */
  provides?: 'safeguarding_policy';
  /** short_text and long_text: characters (defaults 200 and 10,000). */
  maxLength?: number;
  /** long_text: words. */
  maxWords?: number;
  /** number: whole numbers within these; money: pence within these. */
  min?: number;
  max?: number;
  /** date: ISO dates (inclusive). */
  earliest?: string;
  latest?: string;
  options?: readonly ChoiceOption[];
  /** multiple_choice: at most this many. */
  maxChoices?: number;
  /** budget: the most lines allowed (default 20). */
  maxLines?: number;
  /** counts: the table's rows (e.g. partner types, census groups) and columns (default one, "count"). */
  rows?: readonly ChoiceOption[];
  columns?: readonly ChoiceOption[];
  /** counts: columns holding pence rather than whole numbers (e.g. the cost of referrals). */
  moneyColumns?: readonly string[];
  /** counts: the first column must add up to this number question's answer (e.g. people supported). */
  totalMustEqual?: string;
}

/** A counts table's one column when the form names none. */
export const DEFAULT_COUNT_COLUMNS: readonly ChoiceOption[] = [{ value: 'count', label: 'Number' }];
export const MAX_COUNT = 1_000_000;

export interface FormSection {
  id: string;
  title: string;
  intro?: string;
  questions: readonly Question[];
}

export interface FormDefinition {
  key: string;
  version: number;
  /** An application form (default) or a monitoring report form. */
  purpose?: 'application' | 'report';
  title: string;
  sections: readonly FormSection[];
  /** Words the applicant agrees to before submitting. */
  declaration: readonly string[];
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_SHORT_TEXT = 200;
export const DEFAULT_LONG_TEXT = 10_000;
export const DEFAULT_BUDGET_LINES = 20;

export function allQuestions(def: FormDefinition): Question[] {
  return def.sections.flatMap((s) => s.questions);
}

export function findQuestion(def: FormDefinition, id: string): Question | undefined {
  return allQuestions(def).find((q) => q.id === id);
}

const ID = /^[a-z][a-z0-9_]{0,59}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What is wrong with a definition, as readable sentences; empty when it can be published.
 * Checked when forms are loaded, so a typo in config fails setup rather than an applicant.
 */
export function formDefinitionProblems(def: FormDefinition): string[] {
  const problems: string[] = [];
  if (!ID.test(def.key.replace(/-/g, '_')))
    problems.push(`key "${def.key}" must be lower-case words joined by hyphens`);
  if (!Number.isInteger(def.version) || def.version < 1) problems.push('version must be a whole number from 1');
  if (def.sections.length === 0) problems.push('a form needs at least one section');
  const seen = new Map<string, Question>();
  const sectionIds = new Set<string>();
  const bound = new Map<Binding, string>();
  for (const section of def.sections) {
    if (!ID.test(section.id)) problems.push(`section id "${section.id}" must be lower_snake_case`);
    if (sectionIds.has(section.id)) problems.push(`section id "${section.id}" is used twice`);
    sectionIds.add(section.id);
    if (section.questions.length === 0) problems.push(`section "${section.id}" has no questions`);
    for (const q of section.questions) {
      const where = `question "${q.id}"`;
      if (!ID.test(q.id)) problems.push(`${where}: id must be lower_snake_case`);
      if (seen.has(q.id)) problems.push(`${where}: id is used twice`);
      if (!(QUESTION_TYPES as readonly string[]).includes(q.type)) problems.push(`${where}: unknown type "${q.type}"`);
      if (!q.label?.trim()) problems.push(`${where}: needs a label`);
      const choice = q.type === 'single_choice' || q.type === 'multiple_choice';
      if (choice && (!q.options || q.options.length < 2))
        problems.push(`${where}: a choice needs at least two options`);
      if (choice && q.options && new Set(q.options.map((o) => o.value)).size !== q.options.length)
        problems.push(`${where}: option values must differ`);
      if (!choice && q.options) problems.push(`${where}: only choice questions have options`);
      if (q.type === 'counts') problems.push(...countsProblems(q, seen, where));
      else if (q.rows || q.columns || q.moneyColumns || q.totalMustEqual)
        problems.push(`${where}: only counts tables have rows and columns`);
      if (q.maxWords !== undefined && q.type !== 'long_text')
        problems.push(`${where}: only long text has a word limit`);
      if (q.min !== undefined && q.max !== undefined && q.min > q.max) problems.push(`${where}: min is above max`);
      for (const d of [q.earliest, q.latest])
        if (d !== undefined && !ISO_DATE.test(d)) problems.push(`${where}: dates are YYYY-MM-DD`);
      if (q.showIf) {
        const target = seen.get(q.showIf.question);
        if (!target) problems.push(`${where}: showIf must refer to an earlier question`);
        else if (!['yes_no', 'single_choice', 'multiple_choice'].includes(target.type))
          problems.push(`${where}: showIf must refer to a yes/no or choice question`);
        if (q.required && q.binds) problems.push(`${where}: a conditional question cannot fill an application field`);
      }
      if (q.binds) {
        if (bound.has(q.binds)) problems.push(`${where}: ${q.binds} is already filled by "${bound.get(q.binds)}"`);
        bound.set(q.binds, q.id);
        const fits: Record<Binding, QuestionType[]> = {
          title: ['short_text'],
          summary: ['long_text', 'short_text'],
          requestedPence: ['money'],
          activityRiskTier: ['single_choice'],
          narrative: ['long_text'],
          spendToDatePence: ['money'],
        };
        if (!(PURPOSE_BINDINGS[def.purpose ?? 'application'] as readonly string[]).includes(q.binds))
          problems.push(`${where}: a ${def.purpose ?? 'application'} form cannot fill ${q.binds}`);
        if (!fits[q.binds].includes(q.type))
          problems.push(`${where}: ${q.binds} cannot be filled by a ${q.type} question`);
        if (
          q.binds === 'activityRiskTier' &&
          q.options
            ?.map((o) => o.value)
            .sort()
            .join() !== 'high,low,medium'
        ) {
          problems.push(`${where}: the risk tier's options must be low, medium and high`);
        }
        if (!q.required) problems.push(`${where}: a question that fills ${q.binds} must be required`);
      }
      seen.set(q.id, q);
    }
  }
  const purpose = def.purpose ?? 'application';
  if (purpose !== 'application' && purpose !== 'report')
    problems.push(`purpose must be application or report, not "${purpose}"`);
  for (const b of MUST_BIND[purpose] ?? []) if (!bound.has(b)) problems.push(`one required question must fill ${b}`);
  const budgets = [...seen.values()].filter((q) => q.type === 'budget');
  if (budgets.length > 1) problems.push('a form has at most one budget table');
  if (budgets.length === 1 && !bound.has(budgetTarget(def)))
    problems.push(
      `a budget table needs the ${budgetTarget(def) === 'requestedPence' ? 'amount requested' : 'spend to date'} to add up to`,
    );
  if (def.declaration.length === 0) problems.push('a form needs a declaration');
  return problems;
}

const PURPOSE_BINDINGS = {
  application: ['title', 'summary', 'requestedPence', 'activityRiskTier'],
  report: ['narrative', 'spendToDatePence'],
} as const;
const MUST_BIND: Record<string, readonly Binding[]> = {
  application: ['title', 'requestedPence'],
  report: ['narrative', 'spendToDatePence'],
};

/** What a form's budget table must add up to: the amount asked for, or a report's spend to date. */
export function budgetTarget(def: Pick<FormDefinition, 'purpose'>): 'requestedPence' | 'spendToDatePence' {
  return def.purpose === 'report' ? 'spendToDatePence' : 'requestedPence';
}

export function countColumns(q: Question): readonly ChoiceOption[] {
  return q.columns && q.columns.length > 0 ? q.columns : DEFAULT_COUNT_COLUMNS;
}

function countsProblems(q: Question, earlier: ReadonlyMap<string, Question>, where: string): string[] {
  const problems: string[] = [];
  const rows = q.rows ?? [];
  if (rows.length === 0) problems.push(`${where}: a counts table needs rows`);
  const columns = countColumns(q);
  for (const [name, list] of [
    ['row', rows],
    ['column', columns],
  ] as const) {
    if (new Set(list.map((o) => o.value)).size !== list.length) problems.push(`${where}: ${name} values must differ`);
    if (list.some((o) => !ID.test(o.value) || !o.label?.trim()))
      problems.push(`${where}: each ${name} needs a lower_snake_case value and a label`);
  }
  for (const m of q.moneyColumns ?? [])
    if (!columns.some((c) => c.value === m)) problems.push(`${where}: money column "${m}" is not one of its columns`);
  if (q.totalMustEqual !== undefined && earlier.get(q.totalMustEqual)?.type !== 'number')
    problems.push(`${where}: totalMustEqual must name an earlier number question`);
  if (q.totalMustEqual !== undefined && (q.moneyColumns ?? []).includes(columns[0].value))
    problems.push(`${where}: the column that must add up cannot be money`);
  return problems;
}
