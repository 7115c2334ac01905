import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectQueue } from '@nestjs/bullmq';
import { ReconcileFundUseCase } from '@sg/funds';
import { JobPayloads, QUEUES } from '@sg/jobs';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';

/** The budget queue: reconcile one fund after a money change; nightly, every fund and its fee. */
@Processor(QUEUES.budget, { concurrency: 2 })
export class ReconcileFundProcessor extends WorkerHost {
  static readonly handles = ['reconcile-fund', 'nightly-budget'] as const;

  constructor(
    private readonly reconcile: ReconcileFundUseCase,
    private readonly dataSource: DataSource,
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
    const funds: { id: string }[] = await this.dataSource.query('SELECT id FROM funds ORDER BY id');
    for (const { id } of funds) {
      await this.reconcile.execute(id);
      await this.fees.add('calculate-fee', { fundId: id });
    }
    return { funds: funds.length };
  }
}
