import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@sg/config';
import { QUEUES } from '@sg/jobs';
import { Queue } from 'bullmq';

type ScheduledQueues = Record<'reminders' | 'budget' | 'notifications', Pick<Queue, 'upsertJobScheduler'>>;

/**
 * Every repeating job, registered from this one place. `upsertJobScheduler` is idempotent, so each
 * worker registers the same schedulers at start and however many workers run, each job is produced
 * once per interval. Times of day are Europe/London, as the people who read the emails live there.
 */
export async function registerJobSchedules(
  queues: ScheduledQueues,
  config: Pick<AppConfig, 'REMINDER_SCAN_EVERY_MS'>,
): Promise<string[]> {
  const london = { tz: 'Europe/London' };
  await queues.reminders.upsertJobScheduler(
    'scan-reminders',
    { every: config.REMINDER_SCAN_EVERY_MS },
    { name: 'scan-reminders', data: {} },
  );
  await queues.reminders.upsertJobScheduler(
    'housekeeping',
    { pattern: '15 3 * * *', ...london },
    { name: 'housekeeping', data: {} },
  );
  await queues.budget.upsertJobScheduler(
    'nightly-budget',
    { pattern: '30 2 * * *', ...london },
    { name: 'nightly-budget', data: {} },
  );
  await queues.notifications.upsertJobScheduler(
    'send-digests',
    { pattern: '0 7 * * *', ...london },
    { name: 'send-digests', data: {} },
  );
  return ['scan-reminders', 'housekeeping', 'nightly-budget', 'send-digests'];
}

@Injectable()
export class JobSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedules.name);

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.reminders) private readonly reminders: Queue,
    @InjectQueue(QUEUES.budget) private readonly budget: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.SCHEDULED_JOBS === 'off') return;
    const names = await registerJobSchedules(
      { reminders: this.reminders, budget: this.budget, notifications: this.notifications },
      this.config,
    );
    this.logger.log(`job schedulers registered: ${names.join(', ')}`);
  }
}
