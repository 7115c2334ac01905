import rateLimit from '@fastify/rate-limit';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@sg/config';
import { UseCaseError } from '@sg/domain';
import { redisConnection } from '@sg/jobs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';

/** One limit: which requests it counts, how many it allows in its window, and whose they are. */
export interface RateLimitRule {
  name: string;
  matches(method: string, path: string): boolean;
  max: number;
  windowMs: number;
  /** Whose requests these are: the API token's hash when there is one, else the client address. */
  key(req: Pick<FastifyRequest, 'ip' | 'headers'>): string;
}

const MINUTE = 60_000;
const isPost = (method: string) => method === 'POST';

/**
 * The client, as Fastify computed its address (`req.ip`: the peer, or what a trusted proxy says,
 * never a header the client chose) or, on the JSON API, the token it sends: a token's requests
 * count together from wherever they come, and never against a neighbour sharing an address.
 */
export function clientKey(req: Pick<FastifyRequest, 'ip' | 'headers'>): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return `token:${createHash('sha256').update(bearer[1]).digest('hex').slice(0, 32)}`;
  return `address:${req.ip}`;
}

const byAddress = (req: Pick<FastifyRequest, 'ip' | 'headers'>) => `address:${req.ip}`;

/** The limits of issue 14: what lets a stranger guess passwords, send email or mint access. */
export function rateLimitRules(config: AppConfig): RateLimitRule[] {
  const post = (name: string, paths: RegExp, max: number, windowMs: number, key = byAddress): RateLimitRule => ({
    name,
    matches: (method, path) => isPost(method) && paths.test(path),
    max,
    windowMs,
    key,
  });
  return [
    post('sign-in', /^\/sign-in\/?$/, config.RATE_LIMIT_SIGN_IN, 15 * MINUTE),
    post('register', /^\/register\/?$/, config.RATE_LIMIT_EMAIL_FORMS, 60 * MINUTE),
    post('forgot-password', /^\/forgot-password\/?$/, config.RATE_LIMIT_EMAIL_FORMS, 60 * MINUTE),
    post('resend-verification', /^\/resend-verification\/?$/, config.RATE_LIMIT_EMAIL_FORMS, 60 * MINUTE),
    post(
      'invitations',
      /^(\/api\/v1)?\/organisations\/[^/]+\/invitations\/?$/,
      config.RATE_LIMIT_INVITATIONS,
      60 * MINUTE,
      clientKey,
    ),
    post('token-minting', /^\/account\/(api-tokens?|tokens)(\/|$)/, config.RATE_LIMIT_TOKEN_MINTING, 60 * MINUTE),
    {
      name: 'api',
      // Health checks come from the load balancer, often every few seconds; the docs are static.
      matches: (_method, path) => /^\/api\//.test(path) && !/^\/api\/(health|docs)(\/|$)/.test(path),
      max: config.RATE_LIMIT_API,
      windowMs: MINUTE,
      key: clientKey,
    },
  ];
}

/**
 * Rate limits with @fastify/rate-limit, counted in Redis so that every API process shares them
 * (keys under QUEUE_PREFIX, so test runs and deployments sharing a Redis never meet). One
 * onRequest hook checks every rule a request matches, before the body is read or a session is
 * loaded. Over a limit: 429 with Retry-After, problem+json on the API and an error page on pages.
 * If Redis cannot be reached the request goes on (and is logged): sign-in keeps its per-account
 * delay in PostgreSQL, and the email forms their per-account caps.
 */
export async function registerRateLimits(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const redis = new Redis({
    ...redisConnection(config.REDIS_URL),
    // A request must not wait for Redis to come back: without a connection the count fails at
    // once and skipOnError lets the request through.
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  // ioredis reconnects by itself and repeats the error at each try: say it once per outage.
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) new Logger('RateLimits').warn(`Redis unreachable, requests go unlimited: ${err.message.slice(0, 120)}`);
    down = true;
  });
  redis.on('ready', () => (down = false));
  await redis.connect().catch(() => undefined); // down at start: counted from when it comes up
  await fastify.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${config.QUEUE_PREFIX}:rate-limit:`,
    skipOnError: true,
  });
  fastify.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  const limits = rateLimitRules(config).map((rule) => ({
    rule,
    check: fastify.createRateLimit({
      max: rule.max,
      timeWindow: rule.windowMs,
      keyGenerator: (req) => `${rule.name}:${rule.key(req)}`,
    }),
  }));
  fastify.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0];
    for (const { rule, check } of limits) {
      if (!rule.matches(req.method, path)) continue;
      const result = await check(req);
      if (!result.isAllowed && result.isExceeded) {
        const seconds = Math.max(1, result.ttlInSeconds);
        void reply.header('retry-after', String(seconds));
        throw tooManyRequests(seconds);
      }
    }
  });
}

export function tooManyRequests(seconds: number): UseCaseError {
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return new UseCaseError('throttled', 'too_many_requests', `Too many requests: try again in ${wait}`);
}
