import multipart from '@fastify/multipart';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig, loadConfig, nestLogLevels, RuntimeOptions, trustedProxies } from '@sg/config';
import { refuseUnsafeProduction } from '@sg/identity';
import { registerQueueBoard } from './admin/queue-board';
import { ApiModule } from './app.module';
import { refuseUnwantedMultipart, UPLOAD_LIMITS } from './http/multipart';
import { registerContentSecurityPolicy } from './http/content-security-policy';
import { registerRateLimits } from './http/rate-limits';
import { createApiDocument } from './http/openapi-document';
import { ErrorPages, sendError } from './http/problem.filter';
import { unstorableText } from './http/storable-text';
import { registerPortal } from './portal/portal-setup';
import type { FastifyReply } from 'fastify';
import { whitelistingValidationPipe } from './http/validation';
import { clientErrorResponse, PROBLEM_CONTENT_TYPE, routerProblem } from './http/problem';
import type { Duplex } from 'node:stream';

/**
 * Builds the API application; main.ts listens, tests use it in process. In production it first
 * refuses to start unsafe (refuseUnsafeProduction).
 */
export async function createApi(options: { logger?: boolean } & RuntimeOptions = {}): Promise<NestFastifyApplication> {
  const config = loadConfig();
  await refuseUnsafeProduction(config);
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For is believed only from the configured proxies: anyone else cannot choose
    // the address that sign-in throttles and the security log see.
    trustProxy: trustedProxies(config),
    frameworkErrors: (error: { code?: string }, _req: unknown, reply: FastifyReply) => {
      const p = routerProblem(error);
      void reply.status(p.status).header('content-type', PROBLEM_CONTENT_TYPE).send(p);
    },
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Duplex) => {
      // A reset connection has no one left to answer.
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorResponse(error));
      socket.destroy(error);
    },
  });
  const levels = nestLogLevels(config.LOG_LEVEL);
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.create({ clock: options.clock }), adapter, {
    logger: levels,
    bufferLogs: options.logger !== false,
    abortOnError: false,
  });
  if (options.logger !== false) app.useLogger(app.get(PinoLogger));
  app.useGlobalPipes(whitelistingValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // Errors raised by Fastify itself, before Nest's pipeline (bad JSON, wrong content type), are
  // answered as problem+json too; unknown routes reach ProblemFilter through Nest's 404 handler.
  const logger = new Logger('HTTP');
  const errorPages = app.get(ErrorPages);
  fastify.setErrorHandler((err, req, reply) => sendError(req, reply, err, logger, errorPages));

  await registerContentSecurityPolicy(app);

  await registerRateLimits(app, app.get(AppConfig));

  // Multipart bodies are read only by the upload routes (@AcceptsUploads), in their handlers once
  // the caller is authenticated (readMultipart); the plugin's parser itself reads nothing. Every
  // other route refuses one unread, and an upload declaring more than the limits allow is a 413.
  fastify.addHook('onRequest', async (req) => refuseUnwantedMultipart(req));
  await app.register(multipart, { throwFileSizeLimit: false, limits: UPLOAD_LIMITS });
  // Then, with every body read: text PostgreSQL cannot store (U+0000, a lone surrogate) is a 400.
  fastify.addHook('preValidation', async (req) => {
    const refused = unstorableText(req);
    if (refused) throw refused;
  });

  await registerPortal(app, app.get(AppConfig));
  await registerQueueBoard(app);

  SwaggerModule.setup('api/docs', app, () => createApiDocument(app), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  return app;
}
