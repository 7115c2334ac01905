import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { JobPayloads, QUEUES } from '@sg/jobs';
import { DailyDigests, NotificationMissingError, SendEmailUseCase } from '@sg/notifications';
import { Job, UnrecoverableError } from 'bullmq';

/** Thin: reads the id, calls the use case; the use case makes a repeat harmless. */
@Processor(QUEUES.notifications, { concurrency: 16 })
export class SendEmailProcessor extends WorkerHost {
  static readonly handles = ['send-email', 'send-digests'] as const;
  private readonly logger = new Logger(SendEmailProcessor.name);

  constructor(
    private readonly sendEmail: SendEmailUseCase,
    private readonly digests: DailyDigests,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['send-email']>): Promise<string | { digests: number }> {
    if (job.name === 'send-digests') return { digests: await this.digests.run() };
    if (job.name !== 'send-email') throw new UnrecoverableError(`no handler for ${job.name} on ${QUEUES.notifications}`);
    const id = Number(job.data?.notificationId);
    if (!Number.isSafeInteger(id)) throw new UnrecoverableError('send-email needs a numeric notificationId');
    try {
      return await this.sendEmail.execute(id);
    } catch (err) {
      if (err instanceof NotificationMissingError) throw new UnrecoverableError(err.message);
      this.logger.warn(`notification ${id} attempt ${job.attemptsMade + 1} failed; will retry`);
      throw err;
    }
  }
}
