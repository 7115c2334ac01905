import { ApplicationView } from '@sg/applications';
import {
  AnswerProblem,
  answerFromFields,
  answerSummary,
  FormDefinition,
  PostedFields,
  SummarySection,
  UseCaseError,
  validateAnswers,
} from '@sg/domain';
import { Messages } from '../messages';
import { PageErrors } from '../pages';
import { firstInputId, QuestionView, questionView } from '../question-view';

type Fields = Record<string, string | string[]>;

/** The draft's sections with how far each has got: completed when nothing in it stops submission. */
export function taskListView(
  form: FormDefinition,
  answers: ApplicationView['answers'],
  files: ReadonlyMap<string, string>,
  messages: Messages,
): {
  sections: { id: string; title: string; status: string; statusLabel: string }[];
  completed: number;
  allDone: boolean;
} {
  const problems = validateAnswers(form, answers, 'submit', { files }).problems;
  const sections = form.sections.map((s) => {
    const ids = new Set(s.questions.map((q) => q.id));
    const answered = s.questions.some((q) => answers[q.id] !== undefined);
    const status = !problems.some((p) => ids.has(p.questionId))
      ? 'completed'
      : answered
        ? 'in_progress'
        : 'not_started';
    return { id: s.id, title: s.title, status, statusLabel: messages.t(`taskList.${status}`) };
  });
  const completed = sections.filter((s) => s.status === 'completed').length;
  return { sections, completed, allDone: completed === sections.length };
}

/** One section's page: its questions with what was typed, the first problem of each, and where back goes. */
export function sectionPageView(
  applicationId: string,
  form: FormDefinition,
  sectionId: string,
  fields: Fields,
  problems: readonly AnswerProblem[],
  fileNames: ReadonlyMap<string, string>,
  messages: Messages,
): {
  title: string;
  section: FormDefinition['sections'][number];
  number: number;
  count: number;
  questions: QuestionView[];
  hasFile: boolean;
  errors: { text: string; href: string }[];
  backLink: string;
} {
  const index = form.sections.findIndex((s) => s.id === sectionId);
  const section = form.sections[index];
  const byQuestion = new Map<string, string>();
  for (const p of problems) if (!byQuestion.has(p.questionId)) byQuestion.set(p.questionId, p.message);
  return {
    title: section.title,
    section,
    number: index + 1,
    count: form.sections.length,
    questions: section.questions.map((q) =>
      questionView(q, fields, messages, { error: byQuestion.get(q.id), def: form, files: fileNames }),
    ),
    hasFile: section.questions.some((q) => q.type === 'file'),
    errors: section.questions
      .filter((q) => byQuestion.has(q.id))
      .map((q) => ({ text: byQuestion.get(q.id)!, href: firstInputId(q) })),
    backLink:
      index === 0
        ? `/applications/${applicationId}`
        : `/applications/${applicationId}/sections/${form.sections[index - 1].id}`,
  };
}

/**
 * What a section's form asks to save (a question left blank clears its answer) and every problem
 * with it: each field as read, then the one validator's verdict on the whole draft as it would be
 * after this save, for the questions of this section not already refused.
 */
export function sectionSave(
  form: FormDefinition,
  sectionId: string,
  answers: ApplicationView['answers'],
  fields: Fields,
  files: ReadonlyMap<string, string>,
  problems: readonly AnswerProblem[] = [],
): { patch: Record<string, unknown>; problems: AnswerProblem[] } {
  const section = form.sections.find((s) => s.id === sectionId)!;
  const found = [...problems];
  const patch: Record<string, unknown> = {};
  for (const q of section.questions) {
    const read = answerFromFields(q, fields as PostedFields);
    if ('problem' in read) found.push(read.problem);
    else patch[q.id] = 'value' in read ? read.value : null;
  }
  const candidate: Record<string, unknown> = { ...answers };
  for (const [k, v] of Object.entries(patch))
    if (v === null) delete candidate[k];
    else candidate[k] = v;
  const checked = validateAnswers(form, candidate, 'draft', { files });
  const sectionIds = new Set(section.questions.map((q) => q.id));
  for (const p of checked.problems)
    if (sectionIds.has(p.questionId) && !found.some((x) => x.questionId === p.questionId)) found.push(p);
  return { patch, problems: found };
}

/** A use case's field problems as the section page shows them, each under its question. */
export function problemsFromUseCase(err: UseCaseError): AnswerProblem[] {
  return err.fields.map((f) => ({
    field: f.field,
    questionId: questionOf(f.field),
    code: err.code,
    message: f.message,
  }));
}

/** Where saving a section leads: back to the task list ("later"), the next section, or the check page. */
export function afterSectionSave(form: FormDefinition, applicationId: string, sectionId: string, next: string): string {
  if (next === 'later') return `/applications/${applicationId}?saved=1`;
  const following = form.sections[form.sections.findIndex((s) => s.id === sectionId) + 1];
  return following ? `/applications/${applicationId}/sections/${following.id}` : `/applications/${applicationId}/check`;
}

/** Why a draft cannot be submitted, each problem linking to its question's section. */
export function submissionErrors(form: FormDefinition, err: UseCaseError): { text: string; href: string }[] {
  const sectionOf = (qid: string) =>
    form.sections.find((s) => s.questions.some((q) => q.id === qid))?.id ?? form.sections[0].id;
  return err.fields.map((f) => {
    const qid = questionOf(f.field);
    return { text: f.message, href: `section-${sectionOf(qid)}-${qid}` };
  });
}

/**
 * The check-answers page: the answers by section. Error links point at the answer's row on this
 * page (`answer-<question>`); each row links on to its question.
 */
export function checkPageView(
  form: FormDefinition,
  answers: ApplicationView['answers'],
  fileNames: ReadonlyMap<string, string>,
  errs: Partial<PageErrors>,
): { summary: SummarySection[]; declaration: FormDefinition['declaration'] } & Partial<PageErrors> {
  const out: Partial<PageErrors> = { ...errs };
  if (errs.errors)
    out.errors = errs.errors.map((e) => {
      const m = /^section-([a-z0-9_]+)-([a-z0-9_]+)$/.exec(e.href);
      return m ? { ...e, href: `answer-${m[2]}` } : e;
    });
  return { summary: answerSummary(form, answers, fileNames), declaration: form.declaration, ...out };
}

/** The question an answer's field path belongs to: `answers.budget[0].item` is `budget`. */
function questionOf(field: string): string {
  return field.replace(/^answers\./, '').split(/[.[]/)[0];
}
