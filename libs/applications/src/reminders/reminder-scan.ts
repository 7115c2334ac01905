import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, WORKING_CALENDAR } from '@sg/config';
import {
  Actor,
  Clock,
  DEFAULT_REMINDER_OFFSETS,
  dueWindow,
  londonDate,
  REMINDER_KINDS,
  ReminderKind,
  ReminderOffsets,
  reminderOffsets,
  UseCaseError,
  WorkingCalendar,
} from '@sg/domain';
import { OutboxRelay } from '@sg/jobs';
import { writeAudienceNotifications } from '@sg/notifications';
import { DataSource, EntityManager } from 'typeorm';
import { ExecuteTransitionUseCase } from '../execute-transition/execute-transition.use-case';
import { DueGroup, DueRow, RemindersStore } from './reminders.store';

type Windows = Record<ReminderKind, { dueFrom: string | null; dueBy: string }>;
const SYSTEM: Actor = { userId: 'scheduler', role: 'system', partnerOrganisationId: null };
/** Reminders recorded per transaction: a day's usual due set in one, a backlog in several. */
const BATCH = 1000;

export interface ScanResult {
  today: string;
  expiredOffers: number;
  reminders: Partial<Record<ReminderKind, number>>;
}

/**
 * The reminder scan (docs/domain.md §7): one job, run by one scheduler, that asks the database what is due
 * today in Europe/London. Offers past their expiry are expired through the lifecycle machine (which
 * releases their money). Each reminder is recorded under a unique (kind, subject, due date) in the
 * same transaction as its emails, so a scan that runs twice, concurrently, or again after a worker
 * died mid-way sends each reminder once. Queries select by due date, so the cost follows what is
 * due, not how many grants exist.
 */
@Injectable()
export class ReminderScan {
  private readonly logger = new Logger(ReminderScan.name);
  private windowCache: { day: string; byOffsets: Map<string, Windows> } = { day: '', byOffsets: new Map() };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: RemindersStore,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  /** Scans every fund, or only those named (an administrator re-running one fund, or a test). */
  async run(only?: readonly string[]): Promise<ScanResult> {
    const now = this.clock.now();
    const today = londonDate(now);
    const funds = await this.store.fundsToScan(only);
    const expiredOffers = await this.expireOffers(
      now,
      funds.map((f) => f.id),
    );
    const reminders: ScanResult['reminders'] = {};
    if (funds.length > 0) {
      // One row past the batch says whether another batch follows.
      const statement = this.store.dueQuery(this.dueGroups(funds, today), BATCH + 1);
      for (;;) {
        const { more, sent } = await this.dataSource.transaction(async (m) => {
          const due = await this.store.readDue(m, statement);
          return { more: due.length > BATCH, sent: await this.remind(m, due.slice(0, BATCH)) };
        });
        for (const r of sent) reminders[r.kind] = (reminders[r.kind] ?? 0) + 1;
        if (!more) break;
      }
    }
    this.relay.nudge();
    return { today, expiredOffers, reminders };
  }

  /**
   * Records the reminders (those a rival scan recorded meanwhile are skipped by the unique key) and
   * writes the emails of those this scan recorded. The rows come sorted by that key, so two scans
   * racing lock them in the same order and wait for each other instead of deadlocking.
   */
  private async remind(m: EntityManager, due: readonly DueRow[]): Promise<DueRow[]> {
    if (due.length === 0) return [];
    const created = await this.store.recordReminders(m, due);
    const byKey = new Map(due.map((r) => [`${r.kind}|${r.subject_id}|${r.due_on}`, r]));
    const sent = created.map((c) => ({ reminderId: c.id, row: byKey.get(`${c.kind}|${c.subject_id}|${c.due_on}`)! }));
    await writeAudienceNotifications(
      m,
      sent.map(({ reminderId, row }) => ({
        template: `reminder-${row.kind}`,
        dedupePrefix: `reminder:${reminderId}:`,
        audience: REMINDER_KINDS[row.kind].audience,
        optional: REMINDER_KINDS[row.kind].optional,
        fundId: row.fund_id,
        organisationId: row.organisation_id,
        areaCode: row.area_code,
        applicationId: row.application_id,
        reminderId,
      })),
    );
    return sent.map((s) => s.row);
  }

  /**
   * The kinds' windows, grouped: funds with the same window (all of them, unless some changed
   * their offsets) share one SELECT and one range scan, instead of one query per fund and kind.
   */
  private dueGroups(funds: readonly { id: string; reminder_offsets: object }[], today: string): DueGroup[] {
    const groups = new Map<string, DueGroup>();
    for (const fund of funds) {
      const windows = this.windows(today, reminderOffsets(fund.reminder_offsets));
      for (const kind of Object.keys(REMINDER_KINDS) as ReminderKind[]) {
        const { dueFrom, dueBy } = windows[kind];
        const key = `${kind}|${dueFrom}|${dueBy}`;
        const group = groups.get(key);
        if (group) group.fundIds.push(fund.id);
        else groups.set(key, { kind, dueFrom, dueBy, fundIds: [fund.id] });
      }
    }
    return [...groups.values()];
  }

  /**
   * The windows for one set of offsets on one day. Working them out walks the calendar (a binary
   * search over working-day shifts, about a millisecond per fund), so they are kept for the day:
   * funds mostly share offsets, and the scan runs every few minutes.
   */
  private windows(today: string, offsets: ReminderOffsets): Windows {
    if (this.windowCache.day !== today) this.windowCache = { day: today, byOffsets: new Map() };
    const key = JSON.stringify(Object.keys(DEFAULT_REMINDER_OFFSETS).map((k) => offsets[k as keyof ReminderOffsets]));
    let windows = this.windowCache.byOffsets.get(key);
    if (!windows) {
      windows = Object.fromEntries(
        (Object.keys(REMINDER_KINDS) as ReminderKind[]).map((kind) => [
          kind,
          dueWindow(kind, today, offsets, this.calendar),
        ]),
      ) as Windows;
      this.windowCache.byOffsets.set(key, windows);
    }
    return windows;
  }

  /** Offers past their expiry move to offer_expired through the machine; a rival scan's win is not an error. */
  private async expireOffers(now: Date, fundIds: string[]): Promise<number> {
    const due = await this.store.offersPastExpiry(now, fundIds);
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
