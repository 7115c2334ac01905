// The product's BullMQ queues under the bench's own prefix: the bench holds the worker's jobs
// while it measures something else, and throws away what it does not want to measure.
import { Queue } from 'bullmq';
import IORedis from 'ioredis';

export const QUEUE_NAMES = ['notifications', 'budget', 'fees', 'reminders'];

export function benchQueues(redisUrl, prefix) {
  const u = new URL(redisUrl);
  const connection = {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
  const queues = Object.fromEntries(QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix })]));
  return {
    queues,
    pause: (names = QUEUE_NAMES) => Promise.all(names.map((n) => queues[n].pause())),
    resume: (names = QUEUE_NAMES) => Promise.all(names.map((n) => queues[n].resume())),
    async discard(names = QUEUE_NAMES) {
      for (const n of names) await queues[n].obliterate({ force: true });
    },
    counts: (name) =>
      queues[name].getJobCounts('waiting', 'paused', 'active', 'delayed', 'completed', 'failed', 'prioritized'),
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
    /** Deletes every key under the prefix (the end of the run). */
    async deleteAll() {
      const redis = new IORedis(connection);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
