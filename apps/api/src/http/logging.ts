import { loadConfig } from '@sg/config';
import type { Params } from 'nestjs-pino';

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
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/health') },
    },
  };
}
