import { Question } from './form-definition';

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

/** One answer checked: its clean value, or the problem with it. */
export type Checked = { value: AnswerValue } | { problem: AnswerProblem };

/** A problem with one question's answer (`field` may point inside it, e.g. a budget line). */
export function problem(
  q: Question,
  field: string,
  code: string,
  message: string,
  params?: AnswerProblem['params'],
): AnswerProblem {
  return { field: `answers.${field}`, questionId: q.id, code, message, ...(params ? { params } : {}) };
}
