import { Processor, WorkerHost } from '@nestjs/bullmq';
import { HousekeepingStore, ReminderScan } from '@sg/applications';
import { JobPayloads, QUEUES } from '@sg/jobs';
import { Job, UnrecoverableError } from 'bullmq';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reminders queue: the scan for what is due, and nightly housekeeping. */
@Processor(QUEUES.reminders, { concurrency: 1 })
export class RemindersProcessor extends WorkerHost {
  static readonly handles = ['scan-reminders', 'housekeeping'] as const;

  constructor(
    private readonly scan: ReminderScan,
    private readonly housekeeping: HousekeepingStore,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'scan-reminders') {
      // The scheduler's job scans every fund; one naming funds (an administrator's re-run) only those.
      const fundIds = (job.data as JobPayloads['scan-reminders'])?.fundIds;
      if (
        fundIds !== undefined &&
        (!Array.isArray(fundIds) || !fundIds.every((id) => typeof id === 'string' && UUID.test(id)))
      ) {
        throw new UnrecoverableError('scan-reminders takes fundIds as a list of fund ids');
      }
      return this.scan.run(fundIds);
    }
    if (job.name === 'housekeeping') {
      return { signInFailuresPruned: await this.housekeeping.pruneSignInFailures() };
    }
    throw new UnrecoverableError(`no handler for ${job.name} on ${QUEUES.reminders}`);
  }
}
