import { BeforeApplicationShutdown, DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule, RuntimeOptions } from '@sg/config';
import { FundIdsStore, FundsModule } from '@sg/funds';
import { JOB_QUEUE, JobsModule } from '@sg/jobs';
import { MAIL_TRANSPORT, MailTransport } from '@sg/mail';
import { NotificationsModule } from '@sg/notifications';
import { PersistenceModule } from '@sg/persistence';
import { ApplicationsModule, HousekeepingStore } from '@sg/applications';
import { BudgetProcessor } from './budget.processor';
import { FeesProcessor } from './fees.processor';
import { JobSchedules } from './job-schedules';
import { NotificationsProcessor } from './notifications.processor';
import { OutboxPoller } from './outbox-poller';
import { RemindersProcessor } from './reminders.processor';

/** One processor per queue, named for it. */
const PROCESSORS = [NotificationsProcessor, BudgetProcessor, FeesProcessor, RemindersProcessor];

/** Startup fails if a job the code can enqueue has no handler here. */
const handled = new Set<string>(PROCESSORS.flatMap((p) => [...p.handles]));
const unhandled = Object.keys(JOB_QUEUE).filter((name) => !handled.has(name));
if (unhandled.length > 0) throw new Error(`worker has no handler for job(s): ${unhandled.join(', ')}`);

@Module({
  imports: [PersistenceModule, JobsModule, NotificationsModule, FundsModule, ApplicationsModule],
  // The processors' stores (FundsModule and ApplicationsModule do not provide them).
  providers: [...PROCESSORS, FundIdsStore, HousekeepingStore, OutboxPoller, JobSchedules],
})
export class WorkerModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly processors: { worker: { close(): Promise<void> } }[];

  constructor(
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    notifications: NotificationsProcessor,
    budget: BudgetProcessor,
    fees: FeesProcessor,
    reminders: RemindersProcessor,
  ) {
    this.processors = [notifications, budget, fees, reminders];
  }

  static create(options: RuntimeOptions = {}): DynamicModule {
    return { module: WorkerModule, imports: [ConfigModule.forRoot(options)] };
  }

  /**
   * The graceful drain: stop taking jobs and finish those in hand while PostgreSQL, Redis and SMTP
   * are still open. Left to onApplicationShutdown, the workers closed alongside the database and
   * the mail transport, and the jobs in hand failed half-way ('Connection pool was closed').
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.processors.map((p) => {
        try {
          return p.worker.close();
        } catch {
          return undefined; // never started (closed during start-up): nothing in hand
        }
      }),
    );
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
