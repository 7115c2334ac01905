import { NestFactory } from '@nestjs/core';
import { ConsoleLogger, INestApplicationContext } from '@nestjs/common';
import { loadConfig, nestLogLevels, RuntimeOptions } from '@sg/config';
import { refuseUnsafeProduction } from '@sg/identity';
import { assertRedisKeepsQueueKeys } from './redis-eviction-check';
import { WorkerModule } from './worker.module';

/**
 * The worker is the same code base started without HTTP. Shutdown hooks close the BullMQ
 * workers, which finish the jobs in hand before the process exits (graceful drain). It refuses to
 * start when Redis may evict queue keys (any maxmemory-policy but noeviction), and in production
 * when it would run unsafe (refuseUnsafeProduction), before any job is taken.
 */
export async function createWorker(options: RuntimeOptions = {}): Promise<INestApplicationContext> {
  const config = loadConfig();
  await refuseUnsafeProduction(config);
  await assertRedisKeepsQueueKeys(config.REDIS_URL);
  // In production one JSON object per line, like the API's pino logs, for a log collector; colours
  // only for a developer's terminal.
  const production = config.NODE_ENV === 'production';
  const levels = nestLogLevels(config.LOG_LEVEL);
  const logger =
    levels === false ? false : new ConsoleLogger({ logLevels: levels, json: production, colors: !production });
  const app = await NestFactory.createApplicationContext(WorkerModule.create(options), { logger, abortOnError: false });
  app.enableShutdownHooks();
  return app;
}
