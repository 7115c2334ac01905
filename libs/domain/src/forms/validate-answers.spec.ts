import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormDefinition, formDefinitionProblems } from './form-definition';
import { answerSummary } from './answer-summary';
import { answerFromFields, fieldsFromAnswer, parsePounds, penceForInput } from './page-fields';
import { countWords, isRealDate, validateAnswers } from './validate-answers';
import { completeAnswers as pilotAnswers } from '../../../../test/support/pilot';

const pilot: FormDefinition = JSON.parse(
  readFileSync(join(__dirname, '../../../../config/forms/cleveland-pilot-application.v2.json'), 'utf8'),
);
const noFiles = { files: new Map<string, string>() };
const policyFile = { files: new Map([['11111111-1111-4111-8111-111111111111', 'safeguarding_policy']]) };

const completeAnswers = () =>
  pilotAnswers({ has_safeguarding_policy: true, safeguarding_policy: '11111111-1111-4111-8111-111111111111' });

describe('the pilot form definition', () => {
  it('is publishable', () => {
    expect(formDefinitionProblems(pilot)).toEqual([]);
  });

  it('catches a definition that refers forward, binds twice or lacks the amount', () => {
    const broken: FormDefinition = {
      key: 'x',
      version: 1,
      title: 'x',
      declaration: ['ok'],
      sections: [
        {
          id: 's',
          title: 's',
          questions: [
            {
              id: 'a',
              type: 'short_text',
              label: 'A',
              required: true,
              binds: 'title',
              showIf: { question: 'b', equals: true },
            },
            { id: 'b', type: 'yes_no', label: 'B' },
            { id: 'c', type: 'short_text', label: 'C', required: true, binds: 'title' },
            { id: 'd', type: 'single_choice', label: 'D', options: [{ value: 'x', label: 'X' }] },
          ],
        },
      ],
    };
    const problems = formDefinitionProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'question "a": showIf must refer to an earlier question',
        'question "c": title is already filled by "a"',
        'question "d": a choice needs at least two options',
        'one required question must fill requestedPence',
      ]),
    );
  });
});

describe('validateAnswers', () => {
  it('accepts a complete application on submit', () => {
    const r = validateAnswers(pilot, completeAnswers(), 'submit', policyFile);
    expect(r.problems).toEqual([]);
    expect(r.answers.budget).toEqual({
      lines: [
        { item: 'Room hire', amountPence: 200000 },
        { item: 'Volunteer expenses', amountPence: 250000 },
      ],
    });
  });

  it('lets a draft be incomplete but lists every missing answer on submit, in form order', () => {
    expect(validateAnswers(pilot, { project_name: 'Only a name' }, 'draft', noFiles).problems).toEqual([]);
    const r = validateAnswers(pilot, { project_name: 'Only a name' }, 'submit', noFiles);
    expect(r.problems.map((p) => p.questionId)).toEqual([
      'project_summary',
      'start_date',
      'people_expected',
      'activity_types',
      'risk_tier',
      'activity_description',
      'languages_offered',
      'works_with_children',
      'has_safeguarding_policy',
      'risk_approach',
      'referral_routes',
      'amount_requested',
      'budget',
      'other_funding',
    ]);
    expect(r.problems.every((p) => p.code === 'required' && p.field === `answers.${p.questionId}`)).toBe(true);
  });

  // One bad value per question type, each with the message a person would need.
  const bad: [string, unknown, string, RegExp][] = [
    ['short_text', 42, 'project_name', /must be text/],
    ['short_text', 'x'.repeat(121), 'project_name', /120 characters or fewer/],
    ['long_text', Array(151).fill('word').join(' '), 'project_summary', /150 words or fewer \(you have 151\)/],
    ['number', 2.5, 'people_expected', /whole number/],
    ['number', 0, 'people_expected', /1 or more/],
    ['number', 10001, 'people_expected', /10000 or less/],
    ['number', '40', 'people_expected', /whole number/],
    ['money', 500001, 'amount_requested', /£5,000.00 or less/],
    ['money', 99, 'amount_requested', /£1.00 or more/],
    ['money', 12.5, 'amount_requested', /whole number of pence/],
    ['date', '2027-02-30', 'start_date', /real date/],
    ['date', '01/02/2027', 'start_date', /real date/],
    ['date', '2026-11-30', 'start_date', /on or after 1 December 2026/],
    ['date', '2028-01-01', 'start_date', /on or before 31 December 2027/],
    ['single_choice', 'extreme', 'risk_tier', /Select one of the options/],
    ['multiple_choice', ['drop_in', 'skydiving'], 'activity_types', /only the options listed/],
    ['multiple_choice', 'drop_in', 'activity_types', /only the options listed/],
    ['yes_no', 'yes', 'works_with_children', /Select yes or no/],
    ['file', '22222222-2222-4222-8222-222222222222', 'safeguarding_policy', /Upload the file/],
    ['budget', { lines: [{ item: '', amountPence: 100 }] }, 'budget', /say what the money is for/],
    ['budget', { lines: [{ item: 'Rent', amountPence: -5 }] }, 'budget', /at least 1p/],
    ['budget', [1, 2], 'budget', /list of lines/],
  ];
  it.each(bad)('rejects a bad %s value (%j) with a clear message, in drafts too', (_type, value, id, message) => {
    const given = { ...completeAnswers(), [id]: value };
    for (const mode of ['draft', 'submit'] as const) {
      const r = validateAnswers(pilot, given, mode, policyFile);
      const p = r.problems.find((x) => x.questionId === id);
      expect(p?.message).toMatch(message);
      expect(r.answers[id]).toBeUndefined();
    }
  });

  it('rejects unknown questions', () => {
    const r = validateAnswers(pilot, { nonsense: 'x' }, 'draft', noFiles);
    expect(r.problems).toEqual([expect.objectContaining({ field: 'answers.nonsense', code: 'unknown_question' })]);
  });

  it('asks conditional questions only when they apply, and drops answers to hidden ones', () => {
    const shown = validateAnswers(pilot, { ...completeAnswers(), works_with_children: true }, 'submit', policyFile);
    expect(shown.problems.map((p) => p.questionId)).toEqual(['children_arrangements']);
    const hidden = validateAnswers(
      pilot,
      { ...completeAnswers(), has_safeguarding_policy: false },
      'submit',
      policyFile,
    );
    expect(hidden.problems).toEqual([]);
    expect(hidden.answers.safeguarding_policy).toBeUndefined();
  });

  it('requires the budget to add up to the amount requested, to the penny', () => {
    const r = validateAnswers(pilot, { ...completeAnswers(), amount_requested: 450001 }, 'submit', policyFile);
    expect(r.problems).toEqual([
      expect.objectContaining({
        questionId: 'budget',
        code: 'budget_does_not_add_up',
        message: expect.stringMatching(/£4,500.00 but you are asking for £4,500.01/),
      }),
    ]);
  });

  it('keeps the form order of multiple choices and removes repeats', () => {
    const r = validateAnswers(pilot, { activity_types: ['signposting', 'drop_in', 'signposting'] }, 'draft', noFiles);
    expect(r.answers.activity_types).toEqual(['signposting', 'drop_in']);
  });
});

describe('reading posted page fields', () => {
  const q = (id: string) => pilot.sections.flatMap((s) => s.questions).find((x) => x.id === id)!;

  it('reads pounds as pence and refuses anything else', () => {
    expect(parsePounds('£1,250.50')).toBe(125050);
    expect(parsePounds('4500')).toBe(450000);
    expect(parsePounds('4500.5')).toBe(450050);
    for (const s of ['-5', '12.345', 'five', '1,25', '£', '1e3']) expect(parsePounds(s)).toBeNull();
    expect(penceForInput(450050)).toBe('4500.50');
    expect(penceForInput(450000)).toBe('4500');
  });

  it('reads a GOV.UK date input, yes/no radios, checkboxes and budget rows', () => {
    expect(
      answerFromFields(q('start_date'), { 'start_date-day': '3', 'start_date-month': '2', 'start_date-year': '2027' }),
    ).toEqual({ value: '2027-02-03' });
    expect(
      answerFromFields(q('start_date'), {
        'start_date-day': '3',
        'start_date-month': 'Feb',
        'start_date-year': '2027',
      }),
    ).toHaveProperty('problem.code', 'not_a_date');
    expect(answerFromFields(q('works_with_children'), { works_with_children: 'no' })).toEqual({ value: false });
    expect(answerFromFields(q('activity_types'), { activity_types: 'drop_in' })).toEqual({ value: ['drop_in'] });
    expect(answerFromFields(q('activity_types'), {})).toEqual({ blank: true });
    expect(
      answerFromFields(q('budget'), {
        'budget-item-0': 'Rent',
        'budget-amount-0': '100',
        'budget-item-3': 'Food',
        'budget-amount-3': '£20.50',
      }),
    ).toEqual({
      value: {
        lines: [
          { item: 'Rent', amountPence: 10000 },
          { item: 'Food', amountPence: 2050 },
        ],
      },
    });
    expect(answerFromFields(q('budget'), { 'budget-item-0': 'Rent', 'budget-amount-0': 'lots' })).toHaveProperty(
      'problem.field',
      'answers.budget.lines[0].amountPence',
    );
    expect(answerFromFields(q('amount_requested'), { amount_requested: 'about 4k' })).toHaveProperty(
      'problem.code',
      'not_money',
    );
  });

  it('counts words and checks real dates', () => {
    expect(countWords('  one two\nthree  ')).toBe(3);
    expect(countWords('')).toBe(0);
    expect(isRealDate('2028-02-29')).toBe(true);
    expect(isRealDate('2027-02-29')).toBe(false);
  });
});

describe('counts tables and report forms', () => {
  const report: FormDefinition = {
    key: 'test-report',
    version: 1,
    purpose: 'report',
    title: 'Report',
    sections: [
      {
        id: 'main',
        title: 'Main',
        questions: [
          { id: 'narrative', type: 'long_text', label: 'What happened', required: true, binds: 'narrative' },
          { id: 'people', type: 'number', label: 'People supported', required: true, min: 0 },
          { id: 'spend', type: 'money', label: 'Spent', required: true, min: 0, binds: 'spendToDatePence' },
          { id: 'lines', type: 'budget', label: 'On what' },
          {
            id: 'sex',
            type: 'counts',
            label: 'Sex',
            required: true,
            rows: [
              { value: 'female', label: 'Female' },
              { value: 'male', label: 'Male' },
              { value: 'not_known', label: 'Not known' },
            ],
            totalMustEqual: 'people',
          },
          {
            id: 'referrals',
            type: 'counts',
            label: 'Referrals',
            rows: [
              { value: 'police', label: 'Police' },
              { value: 'marac', label: 'MARAC' },
            ],
            columns: [
              { value: 'out', label: 'Out' },
              { value: 'cost', label: 'Cost' },
            ],
            moneyColumns: ['cost'],
          },
        ],
      },
    ],
    declaration: ['True'],
  };
  const ctx = { files: new Map<string, string>() };

  it('publishes a report form that fills narrative and spend, and refuses one that fills an application field', () => {
    expect(formDefinitionProblems(report)).toEqual([]);
    const wrong = {
      ...report,
      sections: [
        {
          ...report.sections[0],
          questions: [
            ...report.sections[0].questions,
            { id: 'title', type: 'short_text' as const, label: 'T', required: true, binds: 'title' as const },
          ],
        },
      ],
    };
    expect(formDefinitionProblems(wrong)).toContain('question "title": a report form cannot fill title');
    const badTable = {
      ...report,
      sections: [
        {
          ...report.sections[0],
          questions: [{ id: 't', type: 'counts' as const, label: 'T', rows: [], totalMustEqual: 'nope' }],
        },
      ],
    };
    expect(formDefinitionProblems(badTable)).toEqual(
      expect.arrayContaining([
        'question "t": a counts table needs rows',
        'question "t": totalMustEqual must name an earlier number question',
      ]),
    );
  });

  it('keeps the numbers, drops zeros, and refuses negatives, fractions, unknown rows and a table that does not add up', () => {
    const answers = {
      narrative: 'We ran sessions',
      people: 5,
      spend: 1000,
      lines: { lines: [{ item: 'Room', amountPence: 1000 }] },
      sex: { female: { count: 4 }, not_known: { count: 1 }, male: { count: 0 } },
      referrals: { police: { out: 2, cost: 1550 } },
    };
    const ok = validateAnswers(report, answers, 'submit', ctx);
    expect(ok.problems).toEqual([]);
    expect(ok.answers.sex).toEqual({ female: { count: 4 }, not_known: { count: 1 } });
    const bad = validateAnswers(report, { ...answers, people: 6, referrals: { police: { out: -1 } } }, 'submit', ctx);
    expect(bad.problems.map((p) => [p.field, p.code])).toEqual([
      ['answers.referrals.police.out', 'not_a_count'],
      ['answers.sex', 'total_does_not_match'],
    ]);
    expect(validateAnswers(report, { referrals: { nobody: { out: 1 } } }, 'draft', ctx).problems[0]).toMatchObject({
      field: 'answers.referrals.nobody',
      code: 'unknown_row',
    });
    expect(validateAnswers(report, { referrals: { police: { out: 1.5 } } }, 'draft', ctx).problems[0]).toMatchObject({
      code: 'not_a_count',
    });
    expect(validateAnswers(report, { ...answers, spend: 2000 }, 'submit', ctx).problems[0]).toMatchObject({
      code: 'budget_does_not_add_up',
      message: expect.stringContaining('you have spent £20.00 so far'),
    });
  });

  it('reads a table from page fields (blank cells are 0, pounds in money columns) and shows it back', () => {
    const q = report.sections[0].questions[5];
    expect(
      answerFromFields(q, {
        'referrals-police-out': '3',
        'referrals-police-cost': '£12.50',
        'referrals-marac-out': '',
      }),
    ).toEqual({ value: { police: { out: 3, cost: 1250 } } });
    expect(answerFromFields(q, {})).toEqual({ blank: true });
    expect(answerFromFields(q, { 'referrals-marac-out': 'two' })).toMatchObject({
      problem: { field: 'answers.referrals.marac.out', code: 'not_a_count' },
    });
    expect(fieldsFromAnswer(q, { police: { out: 3, cost: 1250 } })).toEqual({
      'referrals-police-out': '3',
      'referrals-police-cost': '12.50',
    });
    expect(answerSummary(report, { referrals: { police: { out: 3, cost: 1250 } } })[0].rows[5].lines).toEqual([
      'Police: Out 3, Cost £12.50',
    ]);
  });
});

describe('the pilot report form', () => {
  it('can be published', () => {
    const def: FormDefinition = JSON.parse(
      readFileSync(join(__dirname, '../../../../config/forms/cleveland-pilot-report.v1.json'), 'utf8'),
    );
    expect(formDefinitionProblems(def)).toEqual([]);
  });
});
