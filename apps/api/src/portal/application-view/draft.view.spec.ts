import { FormDefinition, UseCaseError } from '@sg/domain';
import { Messages } from '../messages';
import {
  afterSectionSave,
  checkPageView,
  problemsFromUseCase,
  sectionPageView,
  sectionSave,
  submissionErrors,
  taskListView,
} from './draft.view';

const messages = new Messages();

const form: FormDefinition = {
  key: 'f',
  version: 1,
  title: 'F',
  declaration: ['Everything here is true'],
  sections: [
    {
      id: 'about',
      title: 'About the project',
      questions: [
        { id: 'project', type: 'short_text', label: 'Project name', required: true, maxLength: 20 },
        { id: 'place', type: 'short_text', label: 'Where' },
      ],
    },
    {
      id: 'money',
      title: 'Money',
      questions: [{ id: 'amount', type: 'money', label: 'How much?', required: true }],
    },
    {
      id: 'documents',
      title: 'Documents',
      questions: [{ id: 'policy', type: 'file', label: 'Safeguarding policy', required: true }],
    },
  ],
};
const noFiles = new Map<string, string>();
const FILE = '11111111-1111-4111-8111-111111111111';

describe('the draft’s task list', () => {
  it('marks a section completed when nothing in it stops submission, in progress when partly answered', () => {
    expect(taskListView(form, { place: 'Stockton' }, noFiles, messages)).toEqual({
      sections: [
        { id: 'about', title: 'About the project', status: 'in_progress', statusLabel: 'In progress' },
        { id: 'money', title: 'Money', status: 'not_started', statusLabel: 'Not yet started' },
        { id: 'documents', title: 'Documents', status: 'not_started', statusLabel: 'Not yet started' },
      ],
      completed: 0,
      allDone: false,
    });
  });

  it('is all done when every section is complete (the file answer among the uploaded files)', () => {
    const v = taskListView(
      form,
      { project: 'Lunch club', amount: 250_000, policy: FILE },
      new Map([[FILE, 'policy']]),
      messages,
    );
    expect(v.sections.map((s) => s.statusLabel)).toEqual(['Completed', 'Completed', 'Completed']);
    expect([v.completed, v.allDone]).toEqual([3, true]);
  });
});

describe('a section’s page', () => {
  it('shows the questions with what was typed, numbered, with a way back to the previous section', () => {
    const v = sectionPageView('a1', form, 'money', { amount: '2500' }, [], noFiles, messages);
    expect(v).toMatchObject({
      title: 'Money',
      number: 2,
      count: 3,
      hasFile: false,
      errors: [],
      backLink: '/applications/a1/sections/about',
    });
    expect(v.questions).toEqual([expect.objectContaining({ id: 'amount', label: 'How much?', value: '2500' })]);
  });

  it('shows the first problem of each question, inline and in the summary (linking to its input), in the page’s order', () => {
    const v = sectionPageView(
      'a1',
      form,
      'about',
      {},
      [
        { field: 'answers.place', questionId: 'place', code: 'x', message: 'Say where' },
        { field: 'answers.project', questionId: 'project', code: 'x', message: 'Enter the project name' },
        { field: 'answers.project', questionId: 'project', code: 'y', message: 'A second problem' },
      ],
      noFiles,
      messages,
    );
    expect(v.errors).toEqual([
      { text: 'Enter the project name', href: 'project' },
      { text: 'Say where', href: 'place' },
    ]);
    expect(v.questions.map((q) => q.error)).toEqual(['Enter the project name', 'Say where']);
    expect(v.backLink).toBe('/applications/a1');
  });

  it('says when the section takes a file', () => {
    expect(sectionPageView('a1', form, 'documents', {}, [], noFiles, messages).hasFile).toBe(true);
  });
});

describe('saving a section', () => {
  it('saves what was given and clears what was left blank', () => {
    expect(sectionSave(form, 'about', { place: 'Stockton' }, { project: 'Lunch club', place: '' }, noFiles)).toEqual({
      patch: { project: 'Lunch club', place: null },
      problems: [],
    });
  });

  it('refuses an unreadable answer and one the validator refuses, after the upload’s problem', () => {
    const upload = { field: 'answers.policy', questionId: 'policy', code: 'file', message: 'The file is empty' };
    const money = sectionSave(form, 'money', {}, { amount: 'lots' }, noFiles, [upload]);
    expect(money.problems.map((p) => [p.questionId, p.code])).toEqual([
      ['policy', 'file'],
      ['amount', expect.any(String)],
    ]);
    const long = sectionSave(form, 'about', {}, { project: 'A name far longer than twenty' }, noFiles);
    expect(long.problems.map((p) => p.questionId)).toEqual(['project']);
  });

  it('maps a use case’s field problems to their questions', () => {
    const err = new UseCaseError('invalid', 'validation_failed', 'No', [
      { field: 'answers.budget[0].item', message: 'Say what it is for' },
    ]);
    expect(problemsFromUseCase(err)).toEqual([
      {
        field: 'answers.budget[0].item',
        questionId: 'budget',
        code: 'validation_failed',
        message: 'Say what it is for',
      },
    ]);
  });

  it('goes on to the next section, the check page after the last, or back to the task list', () => {
    expect(afterSectionSave(form, 'a1', 'about', '')).toBe('/applications/a1/sections/money');
    expect(afterSectionSave(form, 'a1', 'documents', '')).toBe('/applications/a1/check');
    expect(afterSectionSave(form, 'a1', 'money', 'later')).toBe('/applications/a1?saved=1');
  });
});

describe('checking and submitting', () => {
  it('links each reason a draft cannot be sent to its question in its section (the first section when unknown)', () => {
    const err = new UseCaseError('unprocessable', 'application_incomplete', 'Incomplete', [
      { field: 'answers.amount', message: 'Enter the amount' },
      { field: 'answers.gone', message: 'Not on the form' },
    ]);
    expect(submissionErrors(form, err)).toEqual([
      { text: 'Enter the amount', href: 'section-money-amount' },
      { text: 'Not on the form', href: 'section-about-gone' },
    ]);
  });

  it('shows the answers and the declaration, error links landing on the answer’s row', () => {
    const v = checkPageView(form, { project: 'Lunch club' }, noFiles, {
      errors: [
        { text: 'Enter the amount', href: 'section-money-amount' },
        { text: 'Confirm', href: 'declaration' },
      ],
      fieldErrors: {},
    });
    expect(v.errors).toEqual([
      { text: 'Enter the amount', href: 'answer-amount' },
      { text: 'Confirm', href: 'declaration' },
    ]);
    expect(v.declaration).toEqual(['Everything here is true']);
    expect(v.summary.map((s) => s.title)).toEqual(['About the project', 'Money', 'Documents']);
    expect(checkPageView(form, {}, noFiles, {})).not.toHaveProperty('errors');
  });
});
