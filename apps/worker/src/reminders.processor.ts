import { Processor, WorkerHost } from '@nestjs/bullmq';
import { ReminderScan } from '@sg/applications';
import { QUEUES } from '@sg/jobs';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';

/** The reminders queue: the scan for what is due, and nightly housekeeping. */
@Processor(QUEUES.reminders, { concurrency: 1 })
export class RemindersProcessor extends WorkerHost {
  static readonly handles = ['scan-reminders', 'housekeeping'] as const;

  constructor(
    private readonly scan: ReminderScan,
    private readonly dataSource: DataSource,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'scan-reminders') return this.scan.run();
    if (job.name === 'housekeeping') {
      // Sign-in failures only matter inside the throttle's 15-minute window; a day is ample.
      const [, pruned] = await this.dataSource.query(`DELETE FROM sign_in_failures WHERE failed_at < now() - interval '1 day'`);
      return { signInFailuresPruned: pruned };
    }
    throw new UnrecoverableError(`no handler for ${job.name} on ${QUEUES.reminders}`);
  }
}
