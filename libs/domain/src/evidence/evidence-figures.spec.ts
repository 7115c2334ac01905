import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormDefinition } from '../forms/form-definition';
import {
  AcceptedReport,
  CHARACTERISTIC_TABLES,
  evidenceLayout,
  grantSpendToDate,
  mapCounts,
  summariseEvidence,
} from './evidence-figures';

const form: FormDefinition = JSON.parse(
  readFileSync(join(__dirname, '../../../../config/forms/cleveland-pilot-report.v1.json'), 'utf8'),
);
const NONE = { grants: 0, reportsOverdue: 0, grantsOpenAfterEnd: 0 };

const interim = {
  narrative: 'We ran a circle for Amina in Thornaby.',
  people_supported: 12,
  sessions_delivered: 20,
  new_volunteers: 3,
  safeguarding_raised: 2,
  safeguarding_escalated: 1,
  spend_to_date: 150_000,
  referrals: { police: { out: 3, in: 1, cost: 4_500 }, commissioned_da_services: { out: 5, in: 0, cost: 12_000 } },
  outcomes: { feel_safe: { people: 9 }, know_options: { people: 12 } },
  sex: { female: { count: 11 }, not_known: { count: 1 } },
  ethnicity: { asian_pakistani: { count: 8 }, white_roma: { count: 4 } },
};
const final = {
  people_supported: 7,
  sessions_delivered: 10,
  safeguarding_raised: 1,
  safeguarding_escalated: 0,
  spend_to_date: 400_000,
  referrals: { police: { out: 1, in: 2, cost: 1_000 }, housing: { out: 2, in: 0, cost: 0 } },
  outcomes: { feel_safe: { people: 7 } },
  sex: { female: { count: 6 }, male: { count: 1 } },
  ethnicity: { white_roma: { count: 7 } },
};

describe('the evidence a fund’s accepted reports add up to', () => {
  const layout = evidenceLayout([form]);

  it('takes its tables, rows and labels from the report form', () => {
    expect(layout.characteristics.map((t) => t.id)).toEqual([...CHARACTERISTIC_TABLES]);
    expect(layout.characteristics.find((t) => t.id === 'sex')).toEqual({
      id: 'sex',
      label: 'Sex',
      column: 'count',
      rows: [
        { value: 'female', label: 'Female' },
        { value: 'male', label: 'Male' },
        { value: 'not_known', label: 'Not known or prefer not to say' },
      ],
    });
    expect(layout.referrals.rows).toHaveLength(8);
    expect(layout.referrals.rows[0]).toEqual({
      value: 'commissioned_da_services',
      label: 'Commissioned domestic abuse services',
    });
    expect(layout.outcomes.rows.map((r) => r.value)).toEqual([
      'feel_safe',
      'rebuild_lives',
      'know_options',
      'less_isolated',
      'accessed_specialist',
      'confidence_report',
    ]);
  });

  it('sums people, sessions, safeguarding, every characteristic row, referrals and outcomes over the reports', () => {
    const f = summariseEvidence(layout, [{ answers: interim }, { answers: final }], {
      grants: 1,
      reportsOverdue: 2,
      grantsOpenAfterEnd: 1,
    });
    expect(f).toMatchObject({
      grants: 1,
      reportsAccepted: 2,
      reportsOverdue: 2,
      grantsOpenAfterEnd: 1,
      peopleSupported: 19,
      sessionsDelivered: 30,
      newVolunteers: 3,
      safeguarding: { raised: 3, escalated: 1 },
    });
    const sex = f.characteristics.find((t) => t.id === 'sex')!;
    expect(sex.rows.map((r) => [r.value, r.count])).toEqual([
      ['female', 17],
      ['male', 1],
      ['not_known', 1],
    ]);
    const ethnicity = f.characteristics.find((t) => t.id === 'ethnicity')!;
    expect(ethnicity.rows).toHaveLength(20); // every row, 0 where no report has it
    expect(ethnicity.rows.filter((r) => r.count > 0).map((r) => [r.value, r.count])).toEqual([
      ['asian_pakistani', 8],
      ['white_roma', 11],
    ]);
    expect(f.characteristics.find((t) => t.id === 'nrpf')!.rows.every((r) => r.count === 0)).toBe(true);
    const police = f.referrals.rows.find((r) => r.value === 'police')!;
    expect(police).toEqual({ value: 'police', label: 'Police', out: 4, in: 3, costPence: 5_500 });
    expect(f.referrals.rows.find((r) => r.value === 'housing')).toMatchObject({ out: 2, in: 0, costPence: 0 });
    expect(f.referrals).toMatchObject({ totalOut: 11, totalIn: 3, totalCostPence: 17_500 });
    expect(f.outcomes.find((r) => r.value === 'feel_safe')!.people).toBe(16);
    expect(f.outcomes.find((r) => r.value === 'know_options')!.people).toBe(12);
    expect(f.outcomes.find((r) => r.value === 'rebuild_lives')!.people).toBe(0);
  });

  it('never carries the narrative or any other text into the figures', () => {
    const f = summariseEvidence(layout, [{ answers: interim }], NONE);
    expect(JSON.stringify(f)).not.toContain('Amina');
    expect(JSON.stringify(f)).not.toContain('Thornaby');
  });

  it('ignores what is not a count: negatives, fractions, text, and row keys that are not row values', () => {
    const odd = {
      people_supported: -3,
      sessions_delivered: 2.5,
      new_volunteers: '4',
      sex: { female: { count: 'lots' }, male: { count: 2 } },
      referrals: 'none',
      outcomes: [1, 2],
    };
    const f = summariseEvidence(
      evidenceLayout([form], [odd, { sex: { 'Amina K': { count: 1 } } }]),
      [{ answers: odd }],
      NONE,
    );
    expect(f).toMatchObject({
      peopleSupported: 0,
      sessionsDelivered: 0,
      newVolunteers: 0,
      referrals: { totalOut: 0, totalIn: 0, totalCostPence: 0 },
    });
    expect(f.characteristics.find((t) => t.id === 'sex')!.rows.map((r) => r.count)).toEqual([0, 2, 0]);
    expect(JSON.stringify(f)).not.toContain('Amina');
  });

  it('keeps rows of older form versions and of answers, labelled from the newest version that has them', () => {
    const newer: FormDefinition = JSON.parse(JSON.stringify(form));
    newer.version = 2;
    const sexQuestion = newer.sections.flatMap((s) => s.questions).find((q) => q.id === 'sex') as {
      rows: unknown;
      label: string;
    };
    sexQuestion.rows = [
      { value: 'female', label: 'Woman or girl' },
      { value: 'male', label: 'Man or boy' },
      { value: 'not_known', label: 'Not known' },
    ];
    sexQuestion.label = 'Sex (version 2)';
    const l = evidenceLayout([newer, form], [{ sex: { intersex: { count: 1 } } }]);
    const sex = l.characteristics.find((t) => t.id === 'sex')!;
    expect(sex.label).toBe('Sex (version 2)');
    expect(sex.rows.map((r) => r.label)).toEqual(['Woman or girl', 'Man or boy', 'Not known', 'intersex']);
  });

  it('works without any form: rows come from the answers, labels are their values', () => {
    const l = evidenceLayout([], [final]);
    expect(l.referrals.rows.map((r) => r.value)).toEqual(['police', 'housing']);
    expect(summariseEvidence(l, [{ answers: final }], NONE).referrals.totalOut).toBe(3);
  });

  it('names every count with a path, in the same order for any figures of one layout', () => {
    const a = summariseEvidence(layout, [{ answers: interim }], NONE);
    const b = summariseEvidence(layout, [], NONE);
    const paths = (f: typeof a) => {
      const out: string[] = [];
      mapCounts(f, (_, p) => out.push(p));
      return out;
    };
    expect(paths(a)).toEqual(paths(b));
    expect(paths(a)).toContain('characteristics.sex.female');
    expect(paths(a)).toContain('referrals.in.police');
    expect(new Set(paths(a)).size).toBe(paths(a).length);
    // Money is not a count: it is copied, never mapped.
    expect(mapCounts(a, () => 'x').referrals.totalCostPence).toBe(16_500);
  });
});

describe('a grant’s spend to date', () => {
  const report = (
    kind: 'interim' | 'final',
    reviewedAt: string,
    spend: number | undefined,
    column: number | null = null,
  ): AcceptedReport => ({
    applicationId: 'a',
    kind,
    reviewedAt,
    answers: spend === undefined ? {} : { spend_to_date: spend },
    spendToDatePence: column,
  });

  it('is the latest accepted report’s, not a sum: cumulative', () => {
    expect(
      grantSpendToDate([
        report('interim', '2027-08-01T10:00:00Z', 150_000),
        report('final', '2028-02-01T10:00:00Z', 400_000),
      ]),
    ).toBe(400_000);
    expect(
      grantSpendToDate([
        report('final', '2028-02-01T10:00:00Z', 400_000),
        report('interim', '2028-03-01T10:00:00Z', 150_000),
      ]),
    ).toBe(400_000);
  });

  it('falls back to the bound column, and is 0 with no report', () => {
    expect(grantSpendToDate([report('interim', '2027-08-01T10:00:00Z', undefined, 90_000)])).toBe(90_000);
    expect(grantSpendToDate([])).toBe(0);
  });
});
