import { isIsoDuration } from './iso-duration';
import { addCalendarDays, latestDateReached, shiftByWorkingDuration, WorkingCalendar } from './working-days';

/**
 * Every reminder the engine sends, who gets it, and whether a person may switch it off. Reminders
 * that protect money or the record (an offer about to lapse, an overdue report, a condition due)
 * are mandatory; the rest are conveniences an applicant may turn off.
 */
export const REMINDER_KINDS = {
  'offer-expiring': { audience: 'applicant', optional: false },
  'report-due-soon': { audience: 'applicant', optional: true },
  'report-due-today': { audience: 'applicant', optional: true },
  'report-overdue': { audience: 'applicant', optional: false },
  'report-escalation': { audience: 'fund_officers', optional: false },
  'draft-closing': { audience: 'applicant', optional: true },
  'officer-service-level': { audience: 'fund_officers', optional: false },
  'condition-due': { audience: 'applicant', optional: false },
} as const;
export type ReminderKind = keyof typeof REMINDER_KINDS;

/** The fund's reminder offsets, ISO-8601 durations whose days are working days. */
export interface ReminderOffsets {
  offerExpiringBefore: string;
  reportDueSoonBefore: string;
  reportOverdueAfter: string;
  reportEscalationAfter: string;
  draftsBeforeClose: string;
  officerServiceLevel: string;
  conditionDueBefore: string;
}

export const DEFAULT_REMINDER_OFFSETS: ReminderOffsets = {
  offerExpiringBefore: 'P5D',
  reportDueSoonBefore: 'P10D',
  reportOverdueAfter: 'P1D',
  reportEscalationAfter: 'P10D',
  draftsBeforeClose: 'P5D',
  officerServiceLevel: 'P10D',
  conditionDueBefore: 'P5D',
};

export function reminderOffsets(overrides: Partial<ReminderOffsets> | null | undefined): ReminderOffsets {
  return { ...DEFAULT_REMINDER_OFFSETS, ...(overrides ?? {}) };
}

export function reminderOffsetProblems(overrides: Record<string, unknown>): { field: string; message: string }[] {
  return Object.entries(overrides).flatMap(([key, value]) => {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_REMINDER_OFFSETS, key))
      return [
        {
          field: `reminders.${key}`,
          message: `is not a reminder setting (${Object.keys(DEFAULT_REMINDER_OFFSETS).join(', ')})`,
        },
      ];
    return isIsoDuration(value)
      ? []
      : [{ field: `reminders.${key}`, message: 'must be an ISO-8601 duration such as P5D' }];
  });
}

/** The day a reminder about something due on `dueOn` goes out. */
export function reminderMoment(kind: ReminderKind, dueOn: string, o: ReminderOffsets, cal: WorkingCalendar): string {
  switch (kind) {
    case 'offer-expiring':
      return shiftByWorkingDuration(dueOn, o.offerExpiringBefore, -1, cal);
    case 'report-due-soon':
      return shiftByWorkingDuration(dueOn, o.reportDueSoonBefore, -1, cal);
    case 'report-due-today':
      return dueOn;
    case 'report-overdue':
      return shiftByWorkingDuration(dueOn, o.reportOverdueAfter, 1, cal);
    case 'report-escalation':
      return shiftByWorkingDuration(dueOn, o.reportEscalationAfter, 1, cal);
    case 'draft-closing':
      return shiftByWorkingDuration(dueOn, o.draftsBeforeClose, -1, cal);
    case 'officer-service-level':
      // Here the "due date" is the day the application started waiting; the reminder is the deadline.
      return shiftByWorkingDuration(dueOn, o.officerServiceLevel, 1, cal);
    case 'condition-due':
      return shiftByWorkingDuration(dueOn, o.conditionDueBefore, -1, cal);
  }
}

/**
 * Which due dates a scan on `today` covers for a kind: those whose reminder moment has come
 * (due on or before `dueBy`) and, for reminders about something still ahead, not yet past
 * (due on or after `dueFrom`), so "due soon" does not go out for a report already late.
 */
export function dueWindow(
  kind: ReminderKind,
  today: string,
  o: ReminderOffsets,
  cal: WorkingCalendar,
): { dueFrom: string | null; dueBy: string } {
  const dueBy = latestDateReached(today, (d) => reminderMoment(kind, d, o, cal));
  switch (kind) {
    case 'report-due-soon':
      // On the day itself "due today" speaks instead.
      return { dueFrom: addCalendarDays(today, 1), dueBy };
    case 'offer-expiring':
    case 'draft-closing':
    case 'report-due-today':
      return { dueFrom: today, dueBy };
    default:
      return { dueFrom: null, dueBy };
  }
}
