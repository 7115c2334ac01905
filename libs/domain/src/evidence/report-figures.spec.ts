import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormDefinition } from '../forms/form-definition';
import { figureCell, figureValue, reportFigureColumns } from './report-figures';

const pilotReport: FormDefinition = JSON.parse(
  readFileSync(join(__dirname, '../../../../config/forms/cleveland-pilot-report.v1.json'), 'utf8'),
);

describe('a report’s figures as flat columns', () => {
  const columns = reportFigureColumns([pilotReport]);
  const keys = columns.map((c) => c.key);

  it('has every number and money question and every counts cell, and no text, budget or file', () => {
    expect(keys.slice(0, 4)).toEqual(['people_supported', 'sessions_delivered', 'new_volunteers', 'spend_to_date']);
    expect(keys).toEqual(
      expect.arrayContaining([
        'referrals.police.out',
        'referrals.police.in',
        'referrals.police.cost',
        'outcomes.feel_safe.people',
        'ethnicity.asian_indian.count',
        'nrpf.yes.count',
        'safeguarding_raised',
      ]),
    );
    expect(keys.filter((k) => k.startsWith('narrative') || k.startsWith('spend_lines'))).toEqual([]);
    expect(columns.filter((c) => c.money).map((c) => c.key)).toEqual([
      'spend_to_date',
      ...pilotReport.sections
        .find((s) => s.id === 'referrals')!
        .questions[0].rows!.map((r) => `referrals.${r.value}.cost`),
    ]);
    expect(columns.find((c) => c.key === 'spend_to_date')?.bindsSpend).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads numbers only: counts as whole numbers, money in pounds, anything else blank', () => {
    const answers = {
      narrative: 'A story that must never leave the system',
      people_supported: 12,
      spend_to_date: 123_456,
      referrals: { police: { out: 2, in: 1, cost: 2_550 }, marac: { out: 'three' } },
      ethnicity: { asian_indian: { count: 5 } },
      sessions_delivered: '40',
    };
    const cell = (key: string) => {
      const c = columns.find((x) => x.key === key)!;
      return figureCell(c, figureValue(c, answers));
    };
    expect(
      [
        'people_supported',
        'spend_to_date',
        'referrals.police.out',
        'referrals.police.cost',
        'referrals.marac.out',
        'ethnicity.asian_indian.count',
        'sessions_delivered',
        'outcomes.feel_safe.people',
      ].map(cell),
    ).toEqual(['12', '1234.56', '2', '25.50', '', '5', '', '']);
  });

  it('joins form versions, newest first, each column once', () => {
    const older: FormDefinition = {
      ...pilotReport,
      version: 0,
      sections: [
        {
          id: 's',
          title: 'S',
          questions: [
            { id: 'people_supported', type: 'number', label: 'People' },
            { id: 'groups_met', type: 'number', label: 'Groups' },
          ],
        },
      ],
    };
    const joined = reportFigureColumns([pilotReport, older]).map((c) => c.key);
    expect(joined.filter((k) => k === 'people_supported')).toHaveLength(1);
    expect(joined[joined.length - 1]).toBe('groups_met');
  });
});
