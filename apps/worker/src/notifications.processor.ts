import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { JobPayloads, QUEUES } from '@sg/jobs';
import { AppConfig } from '@sg/config';
import { DailyDigests, NotificationMissingError, SendEmailUseCase } from '@sg/notifications';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';

/**
 * The notifications queue: one email per send-email job, and the daily digests. Thin: reads the id,
 * calls the use case; the use case makes a repeat harmless.
 */
@Processor(QUEUES.notifications, { concurrency: 16 })
export class NotificationsProcessor extends WorkerHost {
  static readonly handles = ['send-email', 'send-digests'] as const;
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(
    private readonly sendEmail: SendEmailUseCase,
    private readonly digests: DailyDigests,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['send-email']>, token?: string): Promise<string | { digests: number }> {
    if (job.name === 'send-digests') return { digests: await this.digests.run() };
    if (job.name !== 'send-email')
      throw new UnrecoverableError(`no handler for ${job.name} on ${QUEUES.notifications}`);
    const id = Number(job.data?.notificationId);
    if (!Number.isSafeInteger(id)) throw new UnrecoverableError('send-email needs a numeric notificationId');
    try {
      const outcome = await this.sendEmail.execute(id);
      if (outcome === 'in_flight') {
        // Another worker claimed it and may have died with it: look again once its lease has run
        // out, rather than completing a job whose email may never go.
        await job.moveToDelayed(Date.now() + this.config.EMAIL_CLAIM_LEASE_MS + 1000, token);
        throw new DelayedError();
      }
      return outcome;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      if (err instanceof NotificationMissingError) throw new UnrecoverableError(err.message);
      this.logger.warn(`notification ${id} attempt ${job.attemptsMade + 1} failed; will retry`);
      throw err;
    }
  }
}
