import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { UseCaseError } from '@sg/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Problem, problem, PROBLEM_CONTENT_TYPE, problemFromUseCaseError } from './problem';

const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
// What node-postgres and its pool say, without a code, when the server went away mid-request.
const LOST_CONNECTION =
  /Connection terminated|connect ECONNREFUSED|not queryable|timeout exceeded when trying to connect|terminating connection/;

/**
 * A dependency that is down or restarting, not a fault of ours: a socket error, SQLSTATE class 08
 * (connection exception), 57P (operator intervention: shutdown, restart, crash) or 53300 (too many
 * connections), or a transaction whose connection TypeORM has already let go of.
 */
export function isUnavailable(err: unknown): boolean {
  const e = err as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    driverError?: { code?: unknown; message?: unknown };
  };
  // TypeORM releases a transaction's connection when the server drops it; the COMMIT then finds it gone.
  if (e?.name === 'QueryRunnerAlreadyReleasedError' || e?.name === 'QueryRunnerProviderAlreadyReleasedError')
    return true;
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  if (SOCKET_ERRORS.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300') return true;
  return LOST_CONNECTION.test(String(e?.message)) || LOST_CONNECTION.test(String(e?.driverError?.message));
}

/** Turns anything thrown into a problem+json answer; only a genuine fault becomes a 500. */
export function toProblem(err: unknown, logger: Logger): Problem {
  if (err instanceof UseCaseError) return problemFromUseCaseError(err);
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? (body as { message: unknown }).message
        : err.message;
    return problem(status, `http_${status}`, Array.isArray(message) ? message.join('; ') : String(message));
  }
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  // Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx status.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return problem(
      e.statusCode,
      String(e.code ?? `http_${e.statusCode}`).toLowerCase(),
      String(e.message ?? 'Bad request'),
    );
  }
  if (isUnavailable(err)) {
    logger.warn(
      `dependency unavailable: ${String(e?.driverError?.code ?? e?.code ?? '') || String(e?.message).slice(0, 120)}`,
    );
    return problem(503, 'service_unavailable', 'A service the application needs is unavailable; try again shortly');
  }
  // Log the fault's kind and stack, never the request body: it may hold personal data.
  logger.error(
    `unhandled ${(err as Error)?.name ?? 'error'}: ${String((err as Error)?.message).slice(0, 300)}`,
    (err as Error)?.stack,
  );
  return problem(500, 'internal_error', 'Something went wrong on our side; nothing was changed by this request');
}

export function sendProblem(reply: FastifyReply, p: Problem): void {
  void reply.status(p.status).header('content-type', PROBLEM_CONTENT_TYPE).send(p);
}

/**
 * How an error is shown where a person reads pages. The portal provides it, so that this HTTP
 * plumbing never imports the pages.
 */
export abstract class ErrorPages {
  /** Whether the address is one of the pages (everything else answers problem+json). */
  abstract handles(url: string): boolean;
  abstract send(reply: FastifyReply, p: Problem): void;
}

/** problem+json for the API; an HTML error page for the portal's pages. */
export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  logger: Logger,
  pages: ErrorPages,
): void {
  const p = toProblem(err, logger);
  if (pages.handles(req.url)) pages.send(reply, p);
  else sendProblem(reply, p);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly pages: ErrorPages) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), err, this.logger, this.pages);
  }
}
