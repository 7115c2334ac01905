import { Processor, WorkerHost } from '@nestjs/bullmq';
import { CalculateFeeUseCase } from '@sg/funds';
import { JobPayloads, QUEUES } from '@sg/jobs';
import { Job, UnrecoverableError } from 'bullmq';

/** The fees queue: bring a fund's posted fee to what its basis makes due (idempotent). */
@Processor(QUEUES.fees, { concurrency: 2 })
export class FeesProcessor extends WorkerHost {
  static readonly handles = ['calculate-fee'] as const;

  constructor(private readonly fee: CalculateFeeUseCase) {
    super();
  }

  async process(job: Job<JobPayloads['calculate-fee']>): Promise<{ posted: string | null; feePence: number } | null> {
    if (job.name !== 'calculate-fee') throw new UnrecoverableError(`no handler for ${job.name} on ${QUEUES.fees}`);
    const fundId = String(job.data?.fundId);
    if (!/^[0-9a-f-]{36}$/i.test(fundId)) throw new UnrecoverableError('calculate-fee needs a fund id');
    const result = await this.fee.execute(fundId);
    return (
      result && {
        posted: result.posted ? `${result.posted.kind} ${result.posted.amountPence}` : null,
        feePence: result.feePence,
      }
    );
  }
}
