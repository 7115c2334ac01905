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
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Application columns that some answers also fill, so that lists and the machine can read them. */
export const BINDINGS = ['title', 'summary', 'requestedPence', 'activityRiskTier'] as const;
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
}

export interface FormSection {
  id: string;
  title: string;
  intro?: string;
  questions: readonly Question[];
}

export interface FormDefinition {
  key: string;
  version: number;
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
  if (!ID.test(def.key.replace(/-/g, '_'))) problems.push(`key "${def.key}" must be lower-case words joined by hyphens`);
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
      if (choice && (!q.options || q.options.length < 2)) problems.push(`${where}: a choice needs at least two options`);
      if (choice && q.options && new Set(q.options.map((o) => o.value)).size !== q.options.length) problems.push(`${where}: option values must differ`);
      if (!choice && q.options) problems.push(`${where}: only choice questions have options`);
      if (q.maxWords !== undefined && q.type !== 'long_text') problems.push(`${where}: only long text has a word limit`);
      if (q.min !== undefined && q.max !== undefined && q.min > q.max) problems.push(`${where}: min is above max`);
      for (const d of [q.earliest, q.latest]) if (d !== undefined && !ISO_DATE.test(d)) problems.push(`${where}: dates are YYYY-MM-DD`);
      if (q.showIf) {
        const target = seen.get(q.showIf.question);
        if (!target) problems.push(`${where}: showIf must refer to an earlier question`);
        else if (!['yes_no', 'single_choice', 'multiple_choice'].includes(target.type)) problems.push(`${where}: showIf must refer to a yes/no or choice question`);
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
        };
        if (!fits[q.binds].includes(q.type)) problems.push(`${where}: ${q.binds} cannot be filled by a ${q.type} question`);
        if (q.binds === 'activityRiskTier' && q.options?.map((o) => o.value).sort().join() !== 'high,low,medium') {
          problems.push(`${where}: the risk tier's options must be low, medium and high`);
        }
        if (!q.required) problems.push(`${where}: a question that fills ${q.binds} must be required`);
      }
      seen.set(q.id, q);
    }
  }
  for (const b of ['title', 'requestedPence'] as const) if (!bound.has(b)) problems.push(`one required question must fill ${b}`);
  const budgets = [...seen.values()].filter((q) => q.type === 'budget');
  if (budgets.length > 1) problems.push('a form has at most one budget table');
  if (budgets.length === 1 && !bound.has('requestedPence')) problems.push('a budget table needs the amount requested to add up to');
  if (def.declaration.length === 0) problems.push('a form needs a declaration');
  return problems;
}
