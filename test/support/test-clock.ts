import type { Clock } from '../../libs/domain/src/schedule/clock';

/** A clock that stands still until a test moves it: time travel for schedules and expiries. */
export class TestClock implements Clock {
  constructor(private instant: Date) {}

  now(): Date {
    return new Date(this.instant);
  }

  set(iso: string | Date): void {
    this.instant = new Date(iso);
  }

  /** Noon in London on a date, so a test speaks in the dates people read. */
  setLondonNoon(date: string): void {
    // Noon UTC is 12:00 or 13:00 in London: the same London date either way.
    this.instant = new Date(`${date}T12:00:00Z`);
  }
}
