import { DEFAULT_REMINDER_OFFSETS, dueWindow, reminderMoment, reminderOffsetProblems } from './reminders';
import {
  addWorkingDays,
  humanDay,
  isWorkingDay,
  latestDateReached,
  shiftByWorkingDuration,
  WorkingCalendar,
} from './working-days';

// England and Wales, Christmas 2026: Friday 25th and Monday 28th (Boxing Day's substitute).
const cal: WorkingCalendar = { bankHolidays: new Set(['2026-12-25', '2026-12-28', '2027-01-01']) };

describe('working days', () => {
  it('skips weekends and bank holidays', () => {
    expect(isWorkingDay('2026-12-24', cal)).toBe(true);
    expect(isWorkingDay('2026-12-26', cal)).toBe(false);
    expect(isWorkingDay('2026-12-28', cal)).toBe(false);
    expect(addWorkingDays('2026-12-24', 1, cal)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-29', -1, cal)).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-31', 1, cal)).toBe('2027-01-04');
  });

  it('shifts by durations: days as working days, weeks as five, months by the calendar then to a working day', () => {
    expect(shiftByWorkingDuration('2027-01-08', 'P5D', -1, cal)).toBe('2026-12-31');
    expect(shiftByWorkingDuration('2026-12-22', 'P1W', 1, cal)).toBe('2026-12-31');
    // 29 December + 1 month is 29 January 2027, a Friday; 1 month back from 31 January 2027 (a Sunday) is Friday 31 December.
    expect(shiftByWorkingDuration('2026-12-29', 'P1M', 1, cal)).toBe('2027-01-29');
    expect(shiftByWorkingDuration('2027-01-31', 'P1M', -1, cal)).toBe('2026-12-31');
    // A backward shift landing on a holiday moves earlier, a forward one later.
    expect(shiftByWorkingDuration('2027-01-25', 'P1M', -1, cal)).toBe('2026-12-24');
    expect(shiftByWorkingDuration('2026-11-25', 'P1M', 1, cal)).toBe('2026-12-29');
  });

  it('finds the latest date whose moment has arrived, as a brute-force search would', () => {
    const moment = (d: string) => shiftByWorkingDuration(d, 'P5D', -1, cal);
    for (const today of ['2026-12-18', '2026-12-24', '2026-12-25', '2026-12-27', '2027-01-04']) {
      const found = latestDateReached(today, moment);
      expect(moment(found) <= today).toBe(true);
      // Every later date for a fortnight is still in the future.
      for (let i = 1; i <= 14; i++) expect(moment(addWorkingDaysCalendar(found, i)) > today).toBe(true);
    }
  });
});

function addWorkingDaysCalendar(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('reminder moments', () => {
  const o = DEFAULT_REMINDER_OFFSETS;
  it('puts each kind at its moment around the Christmas bank holidays', () => {
    expect(reminderMoment('report-due-soon', '2027-01-08', o, cal)).toBe('2026-12-22');
    expect(reminderMoment('report-due-today', '2027-01-08', o, cal)).toBe('2027-01-08');
    expect(reminderMoment('report-overdue', '2026-12-24', o, cal)).toBe('2026-12-29');
    expect(reminderMoment('report-escalation', '2026-12-24', o, cal)).toBe('2027-01-12');
    expect(reminderMoment('offer-expiring', '2027-01-05', o, cal)).toBe('2026-12-24');
    expect(reminderMoment('officer-service-level', '2026-12-21', o, cal)).toBe('2027-01-07');
  });

  it('covers due dates whose moment has come and, for what is still ahead, not those already past', () => {
    expect(dueWindow('report-due-soon', '2026-12-23', o, cal)).toEqual({ dueFrom: '2026-12-24', dueBy: '2027-01-11' });
    expect(dueWindow('report-overdue', '2026-12-29', o, cal)).toEqual({ dueFrom: null, dueBy: '2026-12-24' });
  });

  it('refuses unknown settings and durations it cannot read', () => {
    expect(reminderOffsetProblems({ toString: 'P1D' })).toEqual([
      { field: 'reminders.toString', message: expect.stringContaining('is not a reminder setting') },
    ]);
    expect(
      reminderOffsetProblems({ reportDueSoonBefore: 'P2W', draftsBeforeClose: '5 days', nagEvery: 'P1D' }),
    ).toEqual([
      { field: 'reminders.draftsBeforeClose', message: 'must be an ISO-8601 duration such as P5D' },
      { field: 'reminders.nagEvery', message: expect.stringContaining('is not a reminder setting') },
    ]);
  });
});

describe('dates for people', () => {
  it('names the day of the week', () => {
    expect(humanDay('2026-12-31')).toBe('Thursday 31 December 2026');
    expect(humanDay('2027-03-01')).toBe('Monday 1 March 2027');
  });
});
