import { basisPointsOf, formatPounds, Pence } from '@sg/domain';

/** The money at the end of a day on which it moved (cumulative). */
export interface MoneyChartPoint {
  /** YYYY-MM-DD, Europe/London. */
  date: string;
  /** Committed + disbursed − returned. */
  usedPence: Pence;
  disbursedPence: Pence;
}

export interface MoneyChartInput {
  /** Oldest first; a day that is missing had no movement. */
  series: readonly MoneyChartPoint[];
  grantablePence: Pence;
  /** Alert thresholds in basis points of the grantable amount (7500 = 75%). */
  thresholdsBasisPoints: readonly number[];
  /** The last day the chart shows (today), YYYY-MM-DD. */
  until: string;
  width: number;
  height: number;
  /** The fewest days the time axis spans, so that one busy day does not fill the chart. */
  minDays?: number;
}

/** A labelled horizontal line at a fraction of the grantable amount. */
export interface ChartLine {
  y: number;
  /** Where its label sits, moved apart from its neighbours' so labels never overlap. */
  labelY: number;
  percent: string;
  amount: string;
}

export interface MoneyChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  /** Step lines by day: the value holds from the start of the day it moved on. */
  usedPath: string;
  /** The area under the used line, for a light fill. */
  usedArea: string;
  disbursedPath: string;
  grantable: ChartLine;
  /** Alert thresholds below 100% (a 100% threshold is the grantable line itself). */
  thresholds: (ChartLine & { basisPoints: number })[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string; date: string }[];
  /** The first and last day shown. */
  from: string;
  to: string;
}

const MARGIN = { left: 100, right: 64, top: 16, bottom: 40 };
const LABEL_GAP = 16;
const DAY_MS = 86_400_000;

const dayNumber = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
};
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayLabel = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const monthLabel = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
/** Coordinates to a tenth of a pixel: enough for any screen, and short paths. */
const n = (v: number): string => String(Math.round(v * 10) / 10);

/** A step of 1, 2, 2.5 or 5 × 10ⁿ whole pounds that divides `top` into about `count` parts. */
export function niceStep(topPence: Pence, count: number): Pence {
  const raw = Math.max(topPence / count, 100);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw)!;
  return Math.max(100, Math.round(step / 100) * 100);
}

/** Labels at their lines' heights, pushed apart to at least `gap` and kept within [top, bottom]. */
function spreadLabels(ys: number[], gap: number, top: number, bottom: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const placed = order.map((o) => o.y);
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap);
  if (placed.length > 0 && placed[placed.length - 1] > bottom) {
    placed[placed.length - 1] = bottom;
    for (let k = placed.length - 2; k >= 0; k--) placed[k] = Math.min(placed[k], placed[k + 1] - gap);
  }
  if (placed.length > 0 && placed[0] < top) {
    placed[0] = top;
    for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap);
  }
  const out: number[] = [];
  order.forEach((o, k) => (out[o.i] = placed[k]));
  return out;
}

/**
 * The geometry of the fund's money chart, drawn on the server as SVG: committed (committed +
 * disbursed − returned) and disbursed as step lines by day, against the grantable amount and the
 * fund's alert thresholds. Pure: the same input always gives the same drawing.
 */
export function moneyChart(input: MoneyChartInput): MoneyChart {
  const { width, height } = input;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const series = [...input.series].sort((a, b) => a.date.localeCompare(b.date));

  // Time: whole days from the first movement (or minDays before the end) to the end of the last day.
  const lastDay = Math.max(dayNumber(input.until), ...series.map((p) => dayNumber(p.date)));
  const firstDay = Math.min(lastDay - (input.minDays ?? 14) + 1, ...series.map((p) => dayNumber(p.date)));
  const days = lastDay + 1 - firstDay;
  const x = (day: number) => plot.left + ((day - firstDay) / days) * (plot.right - plot.left);

  // Money: from £0 to a round amount above the grantable amount and anything the lines reach.
  const highest = Math.max(input.grantablePence, ...series.map((p) => Math.max(p.usedPence, p.disbursedPence)), 100);
  const step = niceStep(highest * 1.08, 6);
  const yMax = Math.ceil((highest * 1.08) / step) * step;
  const y = (pence: Pence) => plot.bottom - (pence / yMax) * (plot.bottom - plot.top);

  const stepPath = (value: (p: MoneyChartPoint) => Pence) =>
    `M${n(x(firstDay))},${n(y(0))}` +
    series.map((p) => `H${n(x(dayNumber(p.date)))}V${n(y(value(p)))}`).join('') +
    `H${n(x(lastDay + 1))}`;
  const usedPath = stepPath((p) => p.usedPence);

  const yTicks: MoneyChart['yTicks'] = [];
  for (let v = 0; v <= yMax; v += step) yTicks.push({ y: Number(n(y(v))), label: formatPounds(v) });

  // Days, weeks or fortnights for up to about four months; after that, the first of each month.
  const xTicks: MoneyChart['xTicks'] = [];
  const dayStep = [1, 2, 7, 14].find((s) => days / s <= 9);
  if (dayStep) {
    for (let d = firstDay; d <= lastDay; d += dayStep)
      xTicks.push({ x: Number(n(x(d))), label: dayLabel.format(new Date(d * DAY_MS)), date: dateOf(d) });
  } else {
    const months = [1, 2, 3, 6, 12].find((s) => days / 30.4 / s <= 8) ?? 12;
    const start = new Date(firstDay * DAY_MS);
    for (let m = start.getUTCMonth() + 1; ; m += months) {
      const d = Date.UTC(start.getUTCFullYear(), m, 1) / DAY_MS;
      if (d > lastDay) break;
      xTicks.push({ x: Number(n(x(d))), label: monthLabel.format(new Date(d * DAY_MS)), date: dateOf(d) });
    }
  }

  const percent = (bp: number) => `${Number((bp / 100).toFixed(2))}%`;
  const below = [...new Set(input.thresholdsBasisPoints)].filter((bp) => bp > 0 && bp < 10_000).sort((a, b) => a - b);
  const lineYs = [y(input.grantablePence), ...below.map((bp) => y(basisPointsOf(input.grantablePence, bp)))];
  const labelYs = spreadLabels(lineYs, LABEL_GAP, plot.top, plot.bottom);

  return {
    width,
    height,
    plot,
    usedPath,
    usedArea: `${usedPath}V${n(y(0))}Z`,
    disbursedPath: stepPath((p) => p.disbursedPence),
    grantable: {
      y: Number(n(lineYs[0])),
      labelY: Number(n(labelYs[0])),
      percent: '100%',
      amount: formatPounds(input.grantablePence),
    },
    thresholds: below.map((bp, i) => ({
      basisPoints: bp,
      y: Number(n(lineYs[i + 1])),
      labelY: Number(n(labelYs[i + 1])),
      percent: percent(bp),
      amount: formatPounds(basisPointsOf(input.grantablePence, bp)),
    })),
    yTicks,
    xTicks,
    from: dateOf(firstDay),
    to: dateOf(lastDay),
  };
}
