import { parseIsoDuration } from './iso-duration';

/**
 * Calendar dates (YYYY-MM-DD, as people in England read them) and working days. A working day is
 * Monday to Friday and not a bank holiday; the list of bank holidays is configuration.
 */
export interface WorkingCalendar {
  bankHolidays: ReadonlySet<string>;
}

export const NO_HOLIDAYS: WorkingCalendar = { bankHolidays: new Set() };

const DAY_MS = 86_400_000;

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addCalendarDays(date: string, days: number): string {
  return fromUtc(new Date(toUtc(date).getTime() + days * DAY_MS));
}

export function isWorkingDay(date: string, cal: WorkingCalendar): boolean {
  const weekday = toUtc(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !cal.bankHolidays.has(date);
}

/** The date itself if it is a working day, else the nearest working day in the given direction. */
export function toWorkingDay(date: string, direction: 1 | -1, cal: WorkingCalendar): string {
  let d = date;
  while (!isWorkingDay(d, cal)) d = addCalendarDays(d, direction);
  return d;
}

export function addWorkingDays(date: string, days: number, cal: WorkingCalendar): string {
  const step = days < 0 ? -1 : 1;
  let d = date;
  for (let left = Math.abs(days); left > 0;) {
    d = addCalendarDays(d, step);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/**
 * Moves a date by an ISO-8601 duration: years and months as calendar months (clamped to the end
 * of shorter months), then days as working days and weeks as five working days. The result is a
 * working day: moving forwards lands on or after it, backwards on or before it, so a reminder
 * "7 days before" never goes out later than people expect.
 */
export function shiftByWorkingDuration(
  date: string,
  duration: string,
  direction: 1 | -1,
  cal: WorkingCalendar,
): string {
  const d = parseIsoDuration(duration);
  if (!d) throw new RangeError(`Not an ISO-8601 date duration: ${duration}`);
  const from = toUtc(date);
  const totalMonths = from.getUTCMonth() + direction * (d.months + d.years * 12);
  const year = from.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = fromUtc(new Date(Date.UTC(year, month, Math.min(from.getUTCDate(), lastDay))));
  const workingDays = d.days + d.weeks * 5;
  return workingDays > 0
    ? addWorkingDays(toWorkingDay(shifted, direction, cal), direction * workingDays, cal)
    : toWorkingDay(shifted, direction, cal);
}

/**
 * The latest date d whose moment(d) has arrived by `today`, for a moment that never goes back as
 * d goes forward. The reminder scan turns "remind 7 working days before the due date" into one
 * indexed condition, "due on or before this date", instead of computing a moment per row.
 */
export function latestDateReached(today: string, moment: (d: string) => string, searchDays = 1500): string {
  let lo = -searchDays;
  let hi = searchDays;
  if (moment(addCalendarDays(today, lo)) > today) return addCalendarDays(today, lo - 1);
  // Invariant: moment(today + lo) <= today; find the largest such offset.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (moment(addCalendarDays(today, mid)) <= today) lo = mid;
    else hi = mid - 1;
  }
  return addCalendarDays(today, lo);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Thursday 31 December 2026": deadlines read best with their day of the week. */
export function humanDay(date: string): string {
  const d = toUtc(date);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${d.getUTCFullYear()}`;
}
