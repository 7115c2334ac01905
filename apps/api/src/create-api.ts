import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { MAX_FILE_BYTES } from '@sg/domain';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig, loadConfig, nestLogLevels, RuntimeOptions } from '@sg/config';
import { registerQueueBoard } from './admin/queue-board';
import { ApiModule } from './app.module';
import { markReadingMultipart } from './http/multipart';
import { registerRateLimits } from './http/rate-limits';
import { createApiDocument } from './http/openapi-document';
import { ErrorPages, sendError } from './http/problem.filter';
import { unstorableText } from './http/storable-text';
import { registerPortal } from './portal/portal-setup';
import type { FastifyReply } from 'fastify';
import { whitelistingValidationPipe } from './http/validation';
import { clientErrorResponse, PROBLEM_CONTENT_TYPE, routerProblem } from './http/problem';
import type { Duplex } from 'node:stream';

/** Builds the API application; main.ts listens, tests use it in process. */
export async function createApi(options: { logger?: boolean } & RuntimeOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    trustProxy: true,
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
  const levels = nestLogLevels(loadConfig().LOG_LEVEL);
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

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
  });

  await registerRateLimits(app, app.get(AppConfig));

  // Uploads are buffered (at most one 10 MB file per request) so that handlers see fields and
  // file together; a larger file is cut off and marked truncated, and the use case refuses it.
  // The plugin reads a multipart body in a preValidation hook; a body it cannot read (no boundary,
  // cut short) fails there with the parser's plain Error. Hooks either side mark the request, so
  // that failure is answered 400 (see unreadableMultipart) rather than as a fault of ours.
  fastify.addHook('preValidation', (req, _reply, done) => {
    markReadingMultipart(req, true);
    done();
  });
  await app.register(multipart, {
    attachFieldsToBody: true,
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 300, parts: 301 },
  });
  fastify.addHook('preValidation', (req, _reply, done) => {
    markReadingMultipart(req, false);
    done();
  });
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
