import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, WORKING_CALENDAR } from '@sg/config';
import { Actor, Clock, dueWindow, londonDate, REMINDER_KINDS, ReminderKind, reminderOffsets, UseCaseError, WorkingCalendar } from '@sg/domain';
import { OutboxRelay } from '@sg/jobs';
import { audienceRecipients, writeNotifications } from '@sg/notifications';
import { DataSource, EntityManager } from 'typeorm';
import { ExecuteTransitionUseCase } from '../execute-transition/execute-transition.use-case';

interface DueRow {
  subject_id: string;
  application_id: string;
  due_on: string;
  organisation_id: string;
  area_code: string;
}

/** What each kind is about, and when it is due; $1 fund, $2 first due date (or null), $3 last due date. */
const DUE: Record<ReminderKind, string> = {
  'offer-expiring': `
    SELECT a.id AS subject_id, a.id AS application_id, to_char(a.offer_expires_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS due_on,
           a.organisation_id, a.area_code
    FROM applications a
    WHERE a.fund_id = $1 AND a.state = 'offered'
      AND a.offer_expires_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/London'
      AND a.offer_expires_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/London'`,
  'report-due-soon': reportsDue(),
  'report-due-today': reportsDue(),
  'report-overdue': reportsDue(),
  'report-escalation': reportsDue(),
  'draft-closing': `
    SELECT a.id AS subject_id, a.id AS application_id, to_char(f.closes_on, 'YYYY-MM-DD') AS due_on, a.organisation_id, a.area_code
    FROM applications a JOIN funds f ON f.id = a.fund_id
    WHERE a.fund_id = $1 AND a.state = 'draft' AND f.closes_on BETWEEN $2 AND $3`,
  // The "due date" is the day the application started waiting in its state, so a new wait is a new reminder.
  'officer-service-level': `
    SELECT a.id AS subject_id, a.id AS application_id, to_char(a.state_changed_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS due_on,
           a.organisation_id, a.area_code
    FROM applications a
    WHERE a.fund_id = $1 AND a.state IN ('submitted', 'screening', 'risk_assessment', 'awaiting_decision')
      AND ($2::date IS NULL OR a.state_changed_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/London')
      AND a.state_changed_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/London'`,
  'condition-due': `
    SELECT c.id AS subject_id, a.id AS application_id, to_char(c.due_on, 'YYYY-MM-DD') AS due_on, a.organisation_id, a.area_code
    FROM conditions c JOIN applications a ON a.id = c.application_id
    WHERE a.fund_id = $1 AND c.status = 'open' AND a.state IN ('offered', 'conditions_pending', 'active', 'suspended')
      AND ($2::date IS NULL OR c.due_on >= $2) AND c.due_on <= $3`,
};

function reportsDue(): string {
  return `
    SELECT r.id AS subject_id, a.id AS application_id, to_char(r.due_on, 'YYYY-MM-DD') AS due_on, a.organisation_id, a.area_code
    FROM monitoring_reports r JOIN applications a ON a.id = r.application_id
    WHERE a.fund_id = $1 AND r.state IN ('due', 'returned') AND a.state IN ('active', 'suspended')
      AND ($2::date IS NULL OR r.due_on >= $2) AND r.due_on <= $3`;
}

const SYSTEM: Actor = { userId: 'scheduler', role: 'system', partnerOrganisationId: null };
const BATCH = 200;

export interface ScanResult {
  today: string;
  expiredOffers: number;
  reminders: Partial<Record<ReminderKind, number>>;
}

/**
 * The reminder scan (DESIGN §7): one job, run by one scheduler, that asks the database what is due
 * today in Europe/London. Offers past their expiry are expired through the lifecycle machine (which
 * releases their money). Each reminder is recorded under a unique (kind, subject, due date) in the
 * same transaction as its emails, so a scan that runs twice, concurrently, or again after a worker
 * died mid-way sends each reminder once. Queries select by due date, so the cost follows what is
 * due, not how many grants exist.
 */
@Injectable()
export class ReminderScan {
  private readonly logger = new Logger(ReminderScan.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  /** Scans every fund, or only those named (an administrator re-running one fund, or a test). */
  async run(only?: readonly string[]): Promise<ScanResult> {
    const now = this.clock.now();
    const today = londonDate(now);
    const funds: { id: string; reminder_offsets: object }[] = await this.dataSource.query(
      'SELECT id, reminder_offsets FROM funds WHERE $1::uuid[] IS NULL OR id = ANY ($1) ORDER BY id',
      [only ?? null],
    );
    const expiredOffers = await this.expireOffers(now, funds.map((f) => f.id));
    const reminders: ScanResult['reminders'] = {};
    for (const fund of funds) {
      const offsets = reminderOffsets(fund.reminder_offsets);
      for (const kind of Object.keys(REMINDER_KINDS) as ReminderKind[]) {
        const window = dueWindow(kind, today, offsets, this.calendar);
        const due: DueRow[] = await this.dataSource.query(DUE[kind], [fund.id, window.dueFrom, window.dueBy]);
        for (let i = 0; i < due.length; i += BATCH) {
          const sent = await this.dataSource.transaction((m) => this.remind(m, kind, fund.id, due.slice(i, i + BATCH)));
          if (sent > 0) reminders[kind] = (reminders[kind] ?? 0) + sent;
        }
      }
    }
    this.relay.nudge();
    return { today, expiredOffers, reminders };
  }

  /** Records the reminders not yet recorded and writes their emails; returns how many were new. */
  private async remind(m: EntityManager, kind: ReminderKind, fundId: string, rows: DueRow[]): Promise<number> {
    const created: { id: number; subject_id: string }[] = await m.query(
      `INSERT INTO reminders (kind, subject_id, due_on, fund_id, application_id)
       SELECT $1, r.subject_id, r.due_on, $2, r.application_id FROM unnest($3::uuid[], $4::date[], $5::uuid[]) AS r(subject_id, due_on, application_id)
       ON CONFLICT (kind, subject_id, due_on) DO NOTHING
       RETURNING id, subject_id`,
      [kind, fundId, rows.map((r) => r.subject_id), rows.map((r) => r.due_on), rows.map((r) => r.application_id)],
    );
    const spec = REMINDER_KINDS[kind];
    const bySubject = new Map(rows.map((r) => [r.subject_id, r]));
    for (const reminder of created) {
      const row = bySubject.get(reminder.subject_id)!;
      const recipients = await audienceRecipients(m, spec.audience, { fundId, organisationId: row.organisation_id, areaCode: row.area_code }, { optional: spec.optional });
      await writeNotifications(m, {
        template: `reminder-${kind}`,
        dedupePrefix: `reminder:${reminder.id}:`,
        recipients,
        applicationId: row.application_id,
        reminderId: reminder.id,
      });
    }
    return created.length;
  }

  /** Offers past their expiry move to offer_expired through the machine; a rival scan's win is not an error. */
  private async expireOffers(now: Date, fundIds: string[]): Promise<number> {
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM applications WHERE state = 'offered' AND offer_expires_at <= $1 AND fund_id = ANY ($2) ORDER BY offer_expires_at LIMIT 1000`,
      [now, fundIds],
    );
    let expired = 0;
    for (const { id } of due) {
      try {
        await this.transitions.execute(SYSTEM, id, 'expire-offer', {});
        expired++;
      } catch (err) {
        if (err instanceof UseCaseError && err.kind === 'conflict') continue;
        this.logger.error(`offer on application ${id} could not be expired: ${(err as Error).message}`);
      }
    }
    return expired;
  }
}
