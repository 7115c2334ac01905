import { moneyChart, MoneyChartInput, niceStep } from './money-chart';

const base: MoneyChartInput = {
  series: [],
  grantablePence: 2_550_000,
  thresholdsBasisPoints: [7500, 9000, 10000],
  until: '2027-03-14',
  width: 900,
  height: 400,
};

/** The path's commands as [command, number] pairs, e.g. M x,y becomes ['M', x, y]. */
function commands(path: string): (string | number)[][] {
  return [...path.matchAll(/([MHVZ])([-\d.,]*)/g)].map(([, c, args]) => [
    c,
    ...(args ? args.split(',').map(Number) : []),
  ]);
}

describe('the fund money chart', () => {
  it('draws flat lines at £0 with the grantable line and thresholds when nothing has moved', () => {
    const c = moneyChart(base);
    expect(c.plot).toEqual({ left: 100, top: 16, right: 836, bottom: 360 });
    expect(commands(c.usedPath)).toEqual([
      ['M', 100, 360],
      ['H', 836],
    ]);
    expect(c.disbursedPath).toBe(c.usedPath);
    expect(c.usedArea).toBe(`${c.usedPath}V360Z`);
    // Two weeks by default, ending today.
    expect([c.from, c.to]).toEqual(['2027-03-01', '2027-03-14']);
    // £25,500 grantable: the axis runs to £30,000 in £5,000 steps, labelled in pounds.
    expect(c.yTicks.map((t) => t.label)).toEqual([
      '£0.00',
      '£5,000.00',
      '£10,000.00',
      '£15,000.00',
      '£20,000.00',
      '£25,000.00',
      '£30,000.00',
    ]);
    expect(c.yTicks[0].y).toBe(360);
    expect(c.yTicks.at(-1)!.y).toBe(16);
    expect(c.grantable).toMatchObject({
      percent: '100%',
      amount: '£25,500.00',
      y: Math.round((360 - (25_500 / 30_000) * 344) * 10) / 10,
    });
    // 100% is the grantable line itself; the others are lines of their own, at their share of it.
    expect(c.thresholds.map((t) => [t.basisPoints, t.percent, t.amount])).toEqual([
      [7500, '75%', '£19,125.00'],
      [9000, '90%', '£22,950.00'],
    ]);
    expect(c.thresholds[0].y).toBeCloseTo(360 - (19_125 / 30_000) * 344, 1);
    expect(c.thresholds[0].y).toBeGreaterThan(c.thresholds[1].y);
    expect(c.thresholds[1].y).toBeGreaterThan(c.grantable.y);
  });

  it('steps by day: each day’s cumulative amount holds from the start of that day to the next movement', () => {
    const c = moneyChart({
      ...base,
      series: [
        { date: '2027-03-02', usedPence: 450_000, disbursedPence: 0 },
        { date: '2027-03-05', usedPence: 750_000, disbursedPence: 450_000 },
        { date: '2027-03-10', usedPence: 700_000, disbursedPence: 700_000 },
      ],
    });
    const day = (d: number) => Math.round((100 + (d / 14) * 736) * 10) / 10; // d days after 1 March
    const yOf = (pence: number) => Math.round((360 - (pence / 3_000_000) * 344) * 10) / 10;
    expect(commands(c.usedPath)).toEqual([
      ['M', 100, 360],
      ['H', day(1)],
      ['V', yOf(450_000)],
      ['H', day(4)],
      ['V', yOf(750_000)],
      ['H', day(9)],
      ['V', yOf(700_000)],
      ['H', 836],
    ]);
    expect(commands(c.disbursedPath)).toEqual([
      ['M', 100, 360],
      ['H', day(1)],
      ['V', 360],
      ['H', day(4)],
      ['V', yOf(450_000)],
      ['H', day(9)],
      ['V', yOf(700_000)],
      ['H', 836],
    ]);
    // Daily ticks would be crowded over a fortnight: every other day, labelled as people read dates.
    expect(c.xTicks.map((t) => t.label)).toEqual(['1 Mar', '3 Mar', '5 Mar', '7 Mar', '9 Mar', '11 Mar', '13 Mar']);
    expect(c.xTicks[0].x).toBe(100);
  });

  it('spans from the first movement when that is longer ago than the minimum, with weekly or monthly ticks', () => {
    const weeks = moneyChart({ ...base, series: [{ date: '2027-01-20', usedPence: 100_000, disbursedPence: 0 }] });
    expect(weeks.from).toBe('2027-01-20');
    expect(weeks.xTicks.map((t) => t.date)).toEqual([
      '2027-01-20',
      '2027-01-27',
      '2027-02-03',
      '2027-02-10',
      '2027-02-17',
      '2027-02-24',
      '2027-03-03',
      '2027-03-10',
    ]);
    const months = moneyChart({
      ...base,
      until: '2027-12-31',
      series: [{ date: '2027-01-15', usedPence: 100_000, disbursedPence: 0 }],
    });
    expect(months.xTicks.map((t) => t.label)).toEqual([
      'Feb 2027',
      'Apr 2027',
      'Jun 2027',
      'Aug 2027',
      'Oct 2027',
      'Dec 2027',
    ]);
    for (const t of [...weeks.xTicks, ...months.xTicks]) expect(t.x).toBeGreaterThanOrEqual(100);
    for (const t of [...weeks.xTicks, ...months.xTicks]) expect(t.x).toBeLessThanOrEqual(836);
  });

  it('keeps threshold labels apart when the lines are close, and inside the plot', () => {
    const c = moneyChart({ ...base, thresholdsBasisPoints: [9500, 9800, 9900] });
    const labels = [c.grantable.labelY, ...c.thresholds.map((t) => t.labelY)].sort((a, b) => a - b);
    for (let i = 1; i < labels.length; i++) expect(labels[i] - labels[i - 1]).toBeGreaterThanOrEqual(16);
    for (const l of labels) expect(l).toBeGreaterThanOrEqual(16);
    // The lines themselves stay where their amounts are.
    expect(c.thresholds.map((t) => t.percent)).toEqual(['95%', '98%', '99%']);
    expect(c.thresholds[2].y).toBeGreaterThan(c.grantable.y);
  });

  it('scales to whatever is highest, and copes with a fund of nothing', () => {
    const over = moneyChart({
      ...base,
      grantablePence: 100_000,
      series: [{ date: '2027-03-14', usedPence: 123_456, disbursedPence: 0 }],
    });
    expect(
      Math.min(
        ...commands(over.usedPath)
          .filter((c) => c[0] === 'V')
          .map((c) => c[1] as number),
      ),
    ).toBeGreaterThanOrEqual(16);
    expect(over.yTicks.at(-1)!.label).toBe('£1,500.00');
    const empty = moneyChart({ ...base, grantablePence: 0, thresholdsBasisPoints: [] });
    expect(empty.yTicks.map((t) => t.label)).toEqual(['£0.00', '£1.00', '£2.00']);
    expect(empty.usedPath).not.toContain('NaN');
    expect(empty.thresholds).toEqual([]);
  });

  it('chooses round steps of whole pounds', () => {
    expect(niceStep(2_754_000, 6)).toBe(500_000);
    expect(niceStep(130_000, 6)).toBe(25_000);
    expect(niceStep(50, 6)).toBe(100);
  });
});
