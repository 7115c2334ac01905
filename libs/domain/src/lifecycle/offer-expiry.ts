import { londonDate } from '../schedule/clock';

/**
 * The last instant of a London calendar day (YYYY-MM-DD): an offer extended to that day lapses as
 * it ends, and is read back (as offer_expires_at is everywhere) as that day's date in London.
 */
export function endOfLondonDay(day: string): Date {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  // London is UTC or UTC+1: the next day starts at midnight UTC or an hour before it.
  for (const offsetHours of [1, 0]) {
    const start = new Date(next.getTime() - offsetHours * 3_600_000);
    const last = new Date(start.getTime() - 1);
    if (londonDate(start) !== day && londonDate(last) === day) return last;
  }
  return new Date(next.getTime() - 1);
}
