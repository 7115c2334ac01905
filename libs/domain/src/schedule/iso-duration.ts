/**
 * ISO-8601 calendar durations as fund settings use them (P30D, P6M, P1Y2M, P2W). Months and years
 * are calendar months: adding P1M to 31 January gives the last day of February, as people expect.
 */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

const PATTERN = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

export function parseIsoDuration(text: string): IsoDuration | null {
  const m = PATTERN.exec(text);
  if (!m || text === 'P') return null;
  const [years, months, weeks, days] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return { years, months, weeks, days };
}

export function isIsoDuration(text: unknown): text is string {
  return typeof text === 'string' && parseIsoDuration(text) !== null;
}

/** Adds a duration to a UTC instant, clamping to the end of shorter months. */
export function addIsoDuration(from: Date, text: string): Date {
  const d = parseIsoDuration(text);
  if (!d) throw new RangeError(`Not an ISO-8601 date duration: ${text}`);
  const totalMonths = from.getUTCMonth() + d.months + d.years * 12;
  const year = from.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  const shifted = new Date(
    Date.UTC(
      year,
      month,
      day,
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
  return new Date(shifted.getTime() + (d.weeks * 7 + d.days) * 86_400_000);
}
