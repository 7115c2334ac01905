import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { loadConfig, nestLogLevels } from '@sg/config';
import { WorkerModule } from './worker.module';

/**
 * The worker is the same code base started without HTTP. Shutdown hooks close the BullMQ
 * workers, which finish the jobs in hand before the process exits (graceful drain).
 */
export async function createWorker(): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: nestLogLevels(loadConfig().LOG_LEVEL), abortOnError: false });
  app.enableShutdownHooks();
  return app;
}
