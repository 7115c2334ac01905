/** Time as the rules see it; tests and jobs substitute their own to move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// Built once: constructing an Intl.DateTimeFormat costs tens of microseconds (it was ~5% of the
// API's CPU reading an application under load); formatting with one is cheap.
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Europe/London (grants are dated as UK people read them), as YYYY-MM-DD. */
export function londonDate(instant: Date): string {
  return LONDON_DAY.format(instant);
}
