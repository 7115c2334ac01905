import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { claimOutboxBatch } from './outbox.store';
import { QUEUES, QueueName } from './queues';

const BATCH = 500;
const REDIS_TIMEOUT_MS = 5000;

/**
 * Moves committed outbox rows to their queues. A job is never enqueued before the transaction
 * that wrote it commits, and a row is marked relayed only after Redis accepted the job; a crash
 * between the two re-adds the job with the same id, which BullMQ ignores and whose handler is
 * idempotent anyway. Rows are claimed with SKIP LOCKED, so any number of relays can run.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running: Promise<number> | null = null;
  private again = false;
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.budget) budget: Queue,
    @InjectQueue(QUEUES.fees) fees: Queue,
    @InjectQueue(QUEUES.reminders) reminders: Queue,
  ) {
    this.queues = { notifications, budget, fees, reminders };
  }

  /** Ask for a relay soon (after a commit); concurrent asks coalesce into one more pass. */
  nudge(): void {
    void this.relayAll().catch((err: unknown) => this.logger.warn(`outbox relay deferred: ${(err as Error).message}`));
  }

  /** Relays until the outbox is empty; returns how many rows this call relayed. */
  async relayAll(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          let n: number;
          do {
            n = await this.relayBatch();
            total += n;
          } while (n === BATCH);
        } while (this.again);
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  /**
   * One batch: claim and mark the rows in one statement, hand them to Redis, commit. If Redis
   * refuses, the transaction rolls back and the rows wait for the next pass. The commit is not
   * waited to disk (synchronous_commit off): a mark lost in a crash only re-adds jobs with the
   * same ids, which is harmless (see above), and the API relays after every commit, so the wait
   * would be paid by every request.
   */
  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows = await claimOutboxBatch(m, BATCH);
      if (rows.length === 0) return 0;
      for (const name of new Set(rows.map((r) => r.queue))) {
        const queue = this.queues[name];
        if (!queue) throw new Error(`outbox row for unknown queue ${name}`);
        const jobs = rows
          .filter((r) => r.queue === name)
          .map((r) => ({ name: r.job_name, data: r.payload, opts: { jobId: r.job_id } }));
        await withTimeout(queue.addBulk(jobs), REDIS_TIMEOUT_MS, 'Redis did not accept the jobs in time');
      }
      return rows.length;
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
