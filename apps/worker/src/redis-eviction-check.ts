import { redisConnection } from '@sg/jobs';
import Redis from 'ioredis';

const HOW_TO_FIX =
  'Set maxmemory-policy noeviction (redis-cli CONFIG SET maxmemory-policy noeviction, and in redis.conf so that it survives a restart; on a managed Redis, in its parameter group or settings)';

/**
 * What is wrong with a Redis maxmemory-policy for the queues, or null when it is safe. Only
 * `noeviction` is: under any other policy Redis may delete BullMQ's keys when memory runs short,
 * and jobs (emails, reconciliations) vanish without failing. An unreadable policy is refused too,
 * because the worker cannot tell that it is safe.
 */
export function evictionProblem(policy: string | null | undefined): string | null {
  const p = policy?.trim().toLowerCase();
  if (p === 'noeviction') return null;
  if (!p)
    return `Could not read Redis maxmemory-policy (CONFIG GET maxmemory-policy and INFO memory gave none): the worker cannot tell whether Redis may evict queue keys and lose jobs. ${HOW_TO_FIX}`;
  return `Redis maxmemory-policy is ${p}: Redis may evict queue keys and lose jobs. ${HOW_TO_FIX}`;
}

/** The `maxmemory_policy` field of `INFO memory`'s text, if there is one. */
export function policyFromInfo(info: string): string | null {
  const m = /^maxmemory_policy:(\S+)\s*$/m.exec(info);
  return m ? m[1] : null;
}

/** CONFIG GET first; managed Redis often disables CONFIG, so INFO memory is the fallback. */
export async function readMaxmemoryPolicy(redis: Redis): Promise<string | null> {
  try {
    const reply = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[] | null;
    if (Array.isArray(reply) && reply.length >= 2 && reply[1]) return String(reply[1]);
  } catch {
    /* CONFIG renamed or disabled: fall back to INFO */
  }
  return policyFromInfo(await redis.info('memory'));
}

/**
 * Refuses to start the worker when Redis may evict queue keys: throws an Error saying what the
 * policy is and how to fix it. Uses its own short-lived connection, closed before returning.
 */
export async function assertRedisKeepsQueueKeys(redisUrl: string): Promise<void> {
  // Unlike the queues' connection (which waits for Redis forever), a start-up check gives up
  // after a few attempts so that a wrong REDIS_URL stops the worker with a message.
  const redis = new Redis({
    ...redisConnection(redisUrl),
    maxRetriesPerRequest: 3,
    lazyConnect: true,
    connectTimeout: 5000,
  });
  redis.on('error', () => undefined); // reported by the failing command below
  try {
    await redis.connect();
    const problem = evictionProblem(await readMaxmemoryPolicy(redis));
    if (problem) throw new Error(problem);
  } finally {
    redis.disconnect();
  }
}
