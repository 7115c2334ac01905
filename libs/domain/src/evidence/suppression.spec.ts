import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormDefinition } from '../forms/form-definition';
import { EvidenceFigures, evidenceLayout, mapCounts, summariseEvidence } from './evidence-figures';
import { isSuppressed, Shown, suppressCells, suppressEvidence } from './suppression';

const form: FormDefinition = JSON.parse(
  readFileSync(join(__dirname, '../../../../config/forms/cleveland-pilot-report.v1.json'), 'utf8'),
);
const layout = evidenceLayout([form]);

describe('suppressing small counts', () => {
  it('hides every count from 0 to 4 and shows 5 and over', () => {
    expect(suppressCells([0, 1, 4, 5, 6, 100], [])).toEqual([
      'fewer_than_5',
      'fewer_than_5',
      'fewer_than_5',
      'shown',
      'shown',
      'shown',
    ]);
  });

  it('withholds the next-smallest cell when one cell alone would be revealed by the total', () => {
    // 20 = 12 + 5 + 3: showing 12, 5 and the total would reveal the 3.
    expect(suppressCells([12, 5, 3, 20], [{ cells: [0, 1, 2], total: 3 }])).toEqual([
      'shown',
      'withheld',
      'fewer_than_5',
      'shown',
    ]);
  });

  it('withholds more while the hidden cells add up to under 5 (their sum would be revealed)', () => {
    // 1 + 2 hidden add up to 3: the 6 is withheld too, then 9 are hidden between three cells.
    expect(suppressCells([30, 6, 1, 2, 39], [{ cells: [0, 1, 2, 3], total: 4 }])).toEqual([
      'shown',
      'withheld',
      'fewer_than_5',
      'fewer_than_5',
      'shown',
    ]);
    // Two zeros are not protected by each other.
    expect(suppressCells([10, 0, 0, 10], [{ cells: [0, 1, 2], total: 3 }])).toEqual([
      'withheld',
      'fewer_than_5',
      'fewer_than_5',
      'shown',
    ]);
  });

  it('leaves alone a line whose hidden cells already protect each other', () => {
    expect(suppressCells([40, 3, 4, 47], [{ cells: [0, 1, 2], total: 3 }])).toEqual([
      'shown',
      'fewer_than_5',
      'fewer_than_5',
      'shown',
    ]);
    expect(suppressCells([40, 7, 47], [{ cells: [0, 1], total: 2 }])).toEqual(['shown', 'shown', 'shown']);
  });

  it('hides a total whose only cell is hidden, and a cell of a hidden total whose cells are all shown', () => {
    // A VDA of one area: the VDA's figure equals the area's.
    expect(suppressCells([3, 3], [{ cells: [0], total: 1 }])).toEqual(['fewer_than_5', 'fewer_than_5']);
    // The 13 is withheld on the second line (15 − 13 would reveal the 2), but 6 + 7 would still give it away.
    const state = suppressCells(
      [6, 7, 13, 2, 15],
      [
        { cells: [0, 1], total: 2 },
        { cells: [2, 3], total: 4 },
      ],
    );
    expect(state[3]).toBe('fewer_than_5');
    expect(state[2]).toBe('withheld');
    expect(state.filter((s, i) => i < 2 && s !== 'shown').length).toBeGreaterThanOrEqual(1);
  });

  it('propagates: a cell withheld on one line is protected on its other lines', () => {
    // Two areas by two categories, with margins: a 2x2 table with one small cell needs a rectangle of four.
    //        cat A  cat B | area
    // area 1   20     2   |  22
    // area 2   30    40   |  70
    // fund     50    42   |  92
    const v = [20, 2, 30, 40, 22, 70, 50, 42, 92];
    const lines = [
      { cells: [0, 1], total: 4 },
      { cells: [2, 3], total: 5 },
      { cells: [0, 2], total: 6 },
      { cells: [1, 3], total: 7 },
      { cells: [4, 5], total: 8 },
      { cells: [6, 7], total: 8 },
    ];
    const state = suppressCells(v, lines);
    expect(state.slice(0, 4)).toEqual(['withheld', 'fewer_than_5', 'withheld', 'withheld']);
    // Every line with a shown total now hides none or at least two cells adding up to 5 or more.
    for (const l of lines) {
      if (state[l.total] !== 'shown') continue;
      const hidden = l.cells.filter((c) => state[c] !== 'shown');
      expect(hidden.length === 0 || (hidden.length >= 2 && hidden.reduce((s, c) => s + v[c], 0) >= 5)).toBe(true);
    }
  });
});

/** Everything a reader could learn from a suppressed figure: only numbers that are shown. */
function numbersIn(f: EvidenceFigures<Shown>): number[] {
  const out: number[] = [];
  mapCounts(f, (c) => {
    if (!isSuppressed(c)) out.push(c);
  });
  return out;
}

describe('the evidence as a funder viewer sees it', () => {
  const area = (answers: Record<string, unknown>[], grants: number) =>
    summariseEvidence(
      layout,
      answers.map((a) => ({ answers: a })),
      { grants, reportsOverdue: 0, grantsOpenAfterEnd: 0 },
    );
  const big = {
    people_supported: 40,
    sessions_delivered: 25,
    new_volunteers: 6,
    safeguarding_raised: 7,
    safeguarding_escalated: 3,
    referrals: {
      police: { out: 9, in: 6, cost: 9_000 },
      marac: { out: 2, in: 0, cost: 1_500 },
      housing: { out: 8, in: 7, cost: 0 },
    },
    outcomes: { feel_safe: { people: 30 }, rebuild_lives: { people: 4 } },
    sex: { female: { count: 37 }, male: { count: 3 } },
    ethnicity: { asian_pakistani: { count: 25 }, white_roma: { count: 15 } },
  };
  const small = {
    people_supported: 3,
    sessions_delivered: 8,
    sex: { female: { count: 3 } },
    ethnicity: { white_roma: { count: 3 } },
    referrals: { police: { out: 1, in: 0, cost: 300 } },
  };
  const parts = [area([big], 2), area([small], 1), area([], 0)];
  const whole = area([big, small], 3);
  const groups = [{ figures: area([small], 1), parts: [1] }];
  const s = suppressEvidence({ whole, parts, groups });

  it('shows 5 and over as numbers and everything under 5 as suppressed, never as its number', () => {
    expect(s.whole.peopleSupported).toBe(43);
    expect(s.whole.sessionsDelivered).toBe(33);
    expect(s.whole.safeguarding.raised).toBe(7);
    expect(s.whole.safeguarding.escalated).toEqual({ suppressed: true, reason: 'fewer_than_5' });
    expect(s.whole.grants).toEqual({ suppressed: true, reason: 'fewer_than_5' });
    expect(s.parts[1].peopleSupported).toEqual({ suppressed: true, reason: 'fewer_than_5' });
    expect(s.groups[0].peopleSupported).toEqual({ suppressed: true, reason: 'fewer_than_5' });
    const json = JSON.stringify(s);
    expect(json).not.toMatch(/"(count|out|in|people|peopleSupported|grants|escalated)":[0-4][,}]/);
    for (const f of [s.whole, ...s.parts, ...s.groups]) expect(numbersIn(f).every((n) => n >= 5)).toBe(true);
  });

  it('does not let a table’s total reveal its one small row', () => {
    const sex = s.whole.characteristics.find((t) => t.id === 'sex')!;
    // 43 people: 40 female, 3 male. Showing 40 would reveal the 3.
    expect(sex.rows.map((r) => r.count)).toEqual([
      { suppressed: true, reason: 'withheld' },
      { suppressed: true, reason: 'fewer_than_5' },
      { suppressed: true, reason: 'fewer_than_5' },
    ]);
  });

  it('does not let the fund’s figure minus the other areas reveal an area’s small one', () => {
    // Roma: 15 in the first area, 3 in the second, 0 in the third, 18 in the fund. Showing 15 and 18 would reveal the 3.
    const roma = (f: EvidenceFigures<Shown>) =>
      f.characteristics.find((t) => t.id === 'ethnicity')!.rows.find((r) => r.value === 'white_roma')!.count;
    expect(isSuppressed(roma(s.parts[1]))).toBe(true);
    expect(isSuppressed(roma(s.parts[0])) || isSuppressed(roma(s.whole))).toBe(true);
    // Sessions: 25 + 8 + 0 = 33: the third area's 0 is hidden, so one more is withheld.
    expect(s.parts.map((p) => p.sessionsDelivered).filter(isSuppressed).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the referrals’ matrix consistent: a column total never reveals one hidden row', () => {
    for (const f of [s.whole, ...s.parts]) {
      for (const dir of ['out', 'in'] as const) {
        const total = dir === 'out' ? f.referrals.totalOut : f.referrals.totalIn;
        if (isSuppressed(total)) continue;
        const hidden = f.referrals.rows.filter((r) => isSuppressed(r[dir]));
        expect(hidden.length).not.toBe(1);
      }
    }
    expect(s.whole.referrals.rows.find((r) => r.value === 'police')!.out).toBe(10);
    // Money counts no one: shown as it is.
    expect(s.whole.referrals.totalCostPence).toBe(10_800);
  });

  it('refuses parts that do not add up to the whole', () => {
    expect(() => suppressEvidence({ whole, parts: [parts[0]], groups: [] })).toThrow(/do not add up/);
  });
});
