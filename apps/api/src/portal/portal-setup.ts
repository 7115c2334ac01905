import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import session from '@fastify/session';
import view from '@fastify/view';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, CLOCK } from '@sg/config';
import { can, Clock, isActorRole, isCapability } from '@sg/domain';
import { createSessionStore } from '@sg/persistence';
import Handlebars from 'handlebars';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isQueueBoardApiRequest } from '../admin/queue-board';
import { isUploadRoute, requireCsrfInMultipart } from '../http/multipart';
import { Messages } from './messages';
import { apiPath, portalStylesheet } from './portal-assets';

/**
 * The session cookie's name: in production with the `__Host-` prefix, which browsers accept only
 * with Secure, Path=/ and no Domain, so no sibling subdomain can set or shadow it.
 */
export function sessionCookieName(config: Pick<AppConfig, 'NODE_ENV'>): string {
  return config.NODE_ENV === 'production' ? '__Host-sg_session' : 'sg_session';
}
const EIGHT_HOURS_MS = 8 * 60 * 60 * 1000;
/** A sign-in lasts at most this long, however active the session (rolling renews only the idle timeout). */
export const SESSION_ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** True for requests to the portal's pages, as opposed to the JSON API and its documentation. */
export function isPageRequest(url: string): boolean {
  return !url.startsWith('/api/') && url !== '/api';
}

/**
 * The portal's plumbing on Fastify: server-side sessions in PostgreSQL (rotated at sign-in by the
 * sign-in page), CSRF tokens tied to the session and checked on every page POST, handlebars views
 * with the message catalogue, and the stylesheet. A session ends after eight idle hours, and twelve
 * hours after its sign-in whatever the activity. The JSON API uses bearer tokens and no cookies, so
 * neither sessions nor CSRF apply to it.
 */
export async function registerPortal(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const { store, close } = createSessionStore(session, {
    databaseUrl: config.DATABASE_URL,
    pruneExpired: config.NODE_ENV !== 'test',
  });
  fastify.addHook('onClose', close);

  await app.register(cookie);
  await app.register(session, {
    secret: config.SESSION_SECRET,
    cookieName: sessionCookieName(config),
    store: store as never,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // Secure everywhere but a developer's own machine; 'auto' follows the request's protocol.
      secure: config.NODE_ENV === 'production' ? true : 'auto',
      path: '/',
      maxAge: EIGHT_HOURS_MS,
    },
  });
  const clock = app.get<Clock>(CLOCK);
  // Sessions past their absolute lifetime (or from before it was recorded) are replaced by an
  // empty one: the person is signed out, and the old session id is gone from the store.
  fastify.addHook('onRequest', async (req) => {
    if (!req.session.get('userId')) return;
    const signedInAt = req.session.get('signedInAt');
    if (typeof signedInAt !== 'number' || clock.now().getTime() - signedInAt >= SESSION_ABSOLUTE_LIFETIME_MS)
      await req.session.regenerate();
  });

  const UPLOAD_CSRF = Symbol('uploadCsrf');
  await app.register(csrf, {
    sessionPlugin: '@fastify/session',
    getToken: (req) => {
      const upload = (req as typeof req & { [UPLOAD_CSRF]?: string })[UPLOAD_CSRF];
      if (upload !== undefined) return upload;
      const field = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof field === 'string' ? field : '';
    },
  });
  // A preHandler, not onRequest: the form body (where the token is) has been parsed by then.
  // An upload's body is read later, by its handler: readMultipart checks the token, its first field.
  // Bull Board's JSON API (/admin/queues/api/) is left out: its app cannot send our token, so
  // admin/queue-board.ts refuses any change there that is not same-origin JSON (isSameOriginWrite).
  fastify.addHook('preHandler', (req, reply, done) => {
    if (req.method !== 'POST' || !isPageRequest(req.url) || isQueueBoardApiRequest(req.url)) return done();
    if (!req.isMultipart() || !isUploadRoute(req)) return fastify.csrfProtection(req, reply, done);
    requireCsrfInMultipart(
      req,
      (token) =>
        new Promise((resolve) => {
          (req as typeof req & { [UPLOAD_CSRF]?: string })[UPLOAD_CSRF] = token;
          fastify.csrfProtection(req, { send: () => resolve(false) } as never, () => resolve(true));
        }),
    );
    done();
  });

  const messages = new Messages();
  const hbs = Handlebars.create();
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
    messages.t(key, options.hash, options.data?.root?.lang),
  );
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // {{#if (can user.actor.role "view-evidence")}}: the permissions table, never a role by name.
  hbs.registerHelper('can', (role: unknown, capability: unknown) => {
    if (!isCapability(capability)) throw new Error(`No capability ${String(capability)}`);
    return isActorRole(role) && can(role, capability);
  });
  hbs.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('not', (v: unknown) => !v);
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  const views = apiPath('views');
  const partials = Object.fromEntries(
    readdirSync(join(views, 'partials'))
      .filter((f) => f.endsWith('.hbs'))
      .map((f) => [f.replace(/\.hbs$/, ''), `partials/${f}`]),
  );
  await app.register(view, {
    engine: { handlebars: hbs },
    root: views,
    layout: 'layouts/main.hbs',
    viewExt: 'hbs',
    production: config.NODE_ENV !== 'development',
    options: { partials },
  });

  const css = portalStylesheet();
  fastify.get('/assets/portal.css', (_req, reply) => {
    void reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(css);
  });
}
