import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectQueue } from '@nestjs/bullmq';
import { FundIdsStore, ReconcileFundUseCase } from '@sg/funds';
import { JobPayloads, QUEUES } from '@sg/jobs';
import { Job, Queue, UnrecoverableError } from 'bullmq';

/** The budget queue: reconcile one fund after a money change; nightly, every fund and its fee. */
@Processor(QUEUES.budget, { concurrency: 2 })
export class BudgetProcessor extends WorkerHost {
  static readonly handles = ['reconcile-fund', 'nightly-budget'] as const;

  constructor(
    private readonly reconcile: ReconcileFundUseCase,
    private readonly fundIds: FundIdsStore,
    @InjectQueue(QUEUES.fees) private readonly fees: Queue,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'nightly-budget') return this.nightly();
    if (job.name !== 'reconcile-fund') throw new UnrecoverableError(`no handler for ${job.name} on ${QUEUES.budget}`);
    const result = await this.reconcile.execute(String((job.data as JobPayloads['reconcile-fund'])?.fundId));
    return (
      result && { drift: Object.keys(result.drift).length, breaches: result.breaches.length, alerted: result.alerted }
    );
  }

  /** Every fund, one by one: the nightly run catches whatever a lost per-change job would have. */
  private async nightly(): Promise<{ funds: number }> {
    const funds = await this.fundIds.all();
    for (const id of funds) {
      await this.reconcile.execute(id);
      await this.fees.add('calculate-fee', { fundId: id });
    }
    return { funds: funds.length };
  }
}
