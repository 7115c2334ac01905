import { Processor, WorkerHost } from '@nestjs/bullmq';
import { ReconcileFundUseCase } from '@sg/funds';
import { JobPayloads, QUEUES } from '@sg/jobs';
import { Job, UnrecoverableError } from 'bullmq';

@Processor(QUEUES.budget, { concurrency: 2 })
export class ReconcileFundProcessor extends WorkerHost {
  static readonly handles = ['reconcile-fund'] as const;

  constructor(private readonly reconcile: ReconcileFundUseCase) {
    super();
  }

  async process(job: Job<JobPayloads['reconcile-fund']>): Promise<{ drift: number; breaches: number } | null> {
    if (job.name !== 'reconcile-fund') throw new UnrecoverableError(`no handler for ${job.name} on ${QUEUES.budget}`);
    const result = await this.reconcile.execute(String(job.data?.fundId));
    return result && { drift: Object.keys(result.drift).length, breaches: result.breaches.length };
  }
}
