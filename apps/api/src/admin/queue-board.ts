import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@sg/config';
import { Actor, can } from '@sg/domain';
import { Accounts, ApiTokens } from '@sg/identity';
import { QUEUES } from '@sg/jobs';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem';
import { Messages } from '../portal/messages';
import { safeNext } from '../portal/pages';
import { SecondFactorSession } from '../portal/second-factor-session';

export const QUEUE_BOARD_PATH = '/admin/queues';
const API_PREFIX = `${QUEUE_BOARD_PATH}/api/`;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for Bull Board's JSON API, which its single-page app calls with PUT, PATCH and POST. */
export function isQueueBoardApiRequest(url: string): boolean {
  return url.startsWith(API_PREFIX);
}

/**
 * Whether a state-changing request made with the session cookie comes from a page of this site.
 * The portal's CSRF tokens cannot be used here: Bull Board's app sends bare PUTs (no body, no
 * token). Instead, a browser says where a request comes from: `Sec-Fetch-Site` (sent by every
 * current browser, and not settable by a page) must be `same-origin`; a browser without it sends
 * `Origin` on every non-GET request, which must then be this site. A request with neither is not
 * from a browser page and is refused (scripts use a bearer token, which no other site can attach).
 * A body, if any, must be JSON, which no cross-site HTML form can send. SameSite=Lax cookies
 * already keep the session off cross-site PUTs; this also stops a sibling subdomain (same-site).
 */
export function isSameOriginWrite(
  req: Pick<FastifyRequest, 'headers' | 'protocol' | 'host'>,
  publicUrl: string,
): boolean {
  const h = req.headers;
  const fetchSite = h['sec-fetch-site'];
  if (typeof fetchSite === 'string') {
    if (fetchSite !== 'same-origin') return false;
  } else {
    const origin = h.origin;
    if (typeof origin !== 'string') return false;
    const own = new Set([`${req.protocol}://${req.host}`, new URL(publicUrl).origin]);
    if (!own.has(origin)) return false;
  }
  const hasBody = Number(h['content-length'] ?? 0) > 0 || h['transfer-encoding'] !== undefined;
  return !hasBody || /^application\/json\s*(;|$)/i.test(String(h['content-type'] ?? ''));
}

/** Every queue of QUEUES as JobsModule registers it (the configured connection and QUEUE_PREFIX). */
function boardQueues(app: NestFastifyApplication): Queue[] {
  return Object.values(QUEUES).map((name: string) => app.get<Queue>(getQueueToken(name), { strict: false }));
}

/**
 * Bull Board at /admin/queues, for signed-in administrators only: every queue with its jobs by
 * state, failed jobs with their errors, and retrying, promoting or cleaning them. Administrators
 * sign in on the portal (session cookie); the JSON API under /admin/queues/api also takes an
 * administrator's bearer token. Anyone else: a browser is sent to sign in, a signed-in person who
 * is not an administrator gets 403, the API answers 401/403 as problem+json.
 * Call after registerPortal (sessions, CSRF and views must exist).
 */
export async function registerQueueBoard(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const config = app.get(AppConfig);
  const accounts = app.get(Accounts, { strict: false });
  const tokens = app.get(ApiTokens, { strict: false });
  const messages = app.get(Messages);
  const secondFactor = app.get(SecondFactorSession);
  // The portal's handlebars renderer; inside the board's scope `reply.view` is Bull Board's own.
  const renderPortalPage = fastify.view.bind(fastify);

  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: boardQueues(app).map((q) => new BullMQAdapter(q, { readOnlyMode: false, allowRetries: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Small Grants queues', miscLinks: [{ text: 'Portal', url: '/' }] } },
  });

  const who = async (req: FastifyRequest): Promise<{ actor: Actor; bySession: boolean; userId?: string } | null> => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = match ? await tokens.authenticate(match[1]) : null;
      return actor && { actor, bySession: false };
    }
    const userId = req.session?.get('userId') as string | undefined;
    const signedIn = userId ? await accounts.signedIn(userId) : null;
    return signedIn && { actor: signedIn.actor, bySession: true, userId };
  };

  const refuse = async (
    req: FastifyRequest,
    reply: FastifyReply,
    status: 401 | 403,
    detail: string,
    signedInUserId?: string,
  ): Promise<unknown> => {
    void reply.header('cache-control', 'no-store');
    if (isQueueBoardApiRequest(req.url)) {
      const p = problem(status, status === 401 ? 'not_signed_in' : 'role_not_permitted', detail);
      return reply.code(status).header('content-type', PROBLEM_CONTENT_TYPE).send(p);
    }
    if (status === 401) return reply.redirect(`/sign-in?next=${encodeURIComponent(safeNext(req.url))}`, 303);
    const user = signedInUserId ? await accounts.signedIn(signedInUserId) : null;
    const html = await renderPortalPage('pages/error', {
      lang: 'en',
      title: messages.t('error.forbidden.title'),
      paragraphs: [messages.t('error.forbidden.body')],
      user,
      csrfToken: reply.generateCsrf(),
    });
    return reply.code(403).type('text/html; charset=utf-8').send(html);
  };

  await app.register(async (scope: FastifyInstance) => {
    // Every route in this scope is the board's (pages, static files, API): none is left open.
    scope.addHook('onRequest', async (req, reply) => {
      const caller = await who(req);
      if (!caller)
        return refuse(
          req,
          reply,
          401,
          'Sign in as an administrator, or send an administrator’s API token as "Authorization: Bearer <token>"',
        );
      if (!can(caller.actor.role, 'administer-queues'))
        return refuse(req, reply, 403, 'Only administrators may see the queues', caller.userId);
      // Step-up: an administrator's session must have passed a second factor in the last 15 minutes.
      const signedIn = caller.bySession && caller.userId ? await accounts.signedIn(caller.userId) : null;
      if (signedIn && (await secondFactor.stepUpNeeded(req, signedIn))) {
        void reply.header('cache-control', 'no-store');
        if (!isQueueBoardApiRequest(req.url))
          return reply.redirect(`/sign-in/code?next=${encodeURIComponent(safeNext(req.url))}`, 303);
        const p = problem(
          403,
          'second_factor_required',
          'Enter a code from your authenticator app on the board’s page',
        );
        return reply.code(403).header('content-type', PROBLEM_CONTENT_TYPE).send(p);
      }
      if (caller.bySession && !SAFE_METHODS.has(req.method) && !isSameOriginWrite(req, config.PUBLIC_URL)) {
        return refuse(
          req,
          reply,
          403,
          'Changes to the queues must come from the board’s own page (same origin, JSON)',
          caller.userId,
        );
      }
      if (!req.url.startsWith(`${QUEUE_BOARD_PATH}/static/`)) void reply.header('cache-control', 'no-store');
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
