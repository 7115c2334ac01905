import { loadConfig } from '@sg/config';
import type { Params } from 'nestjs-pino';

/** The links in account emails carry one-time tokens in their path: logs get the route, not the token. */
const TOKEN_PATHS = /^\/(verify-email|reset-password|invitations)\/[^/?]+/;

/** A request's URL as logs may keep it: no query string (it may hold an email address), no tokens. */
export function loggableUrl(url: string): string {
  return url.split('?')[0].replace(TOKEN_PATHS, '/$1/:token');
}

/**
 * Structured logs that carry no personal data: requests are logged by method, route and status;
 * headers that identify a person (tokens, cookies) are never written, and bodies are never logged.
 */
export function loggerOptions(): Params {
  const config = loadConfig();
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: loggableUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/health') },
    },
  };
}
