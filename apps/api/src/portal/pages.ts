import { Injectable } from '@nestjs/common';
import { UseCaseError } from '@sg/domain';
import { Accounts, SignedIn } from '@sg/identity';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Messages } from './messages';
import { safeNext } from './safe-next';
import { SecondFactorSession } from './second-factor-session';

declare module 'fastify' {
  interface Session {
    /** The signed-in user; the session holds nothing else about them. */
    userId?: string;
    /** When they signed in (ms since the epoch): the session ends twelve hours later. */
    signedInAt?: number;
  }
}

export type PageRequest = FastifyRequest;
export type PageErrors = { errors: { text: string; href: string }[]; fieldErrors: Record<string, string> };

export { safeNext };

/**
 * What every page handler needs: who is signed in (from the server-side session), rendering a view
 * with the CSRF token and the catalogue's language, redirects after POST, and turning a use case's
 * field problems into an error summary and inline messages.
 */
@Injectable()
export class Pages {
  constructor(
    private readonly accounts: Accounts,
    readonly messages: Messages,
    private readonly secondFactor: SecondFactorSession,
  ) {}

  async user(req: PageRequest): Promise<SignedIn | null> {
    const userId = req.session.get('userId') as string | undefined;
    if (!userId) return null;
    const user = await this.accounts.signedIn(userId);
    return user && this.secondFactor.sessionAllowed(req, user) ? user : null;
  }

  /** The signed-in person, or a redirect to sign in (null: the handler must return). */
  async requireUser(req: PageRequest, reply: FastifyReply): Promise<SignedIn | null> {
    const user = await this.user(req);
    if (!user) {
      void reply.redirect(`/sign-in?next=${encodeURIComponent(safeNext(req.url))}`, 303);
      return null;
    }
    return user;
  }

  async render(
    req: PageRequest,
    reply: FastifyReply,
    template: string,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<unknown> {
    const user = data.user === undefined ? await this.user(req) : data.user;
    void reply.code(status).header('cache-control', 'no-store');
    return reply.view(`pages/${template}`, { lang: 'en', ...data, user, csrfToken: reply.generateCsrf() });
  }

  t(key: string, params?: Record<string, unknown>): string {
    return this.messages.t(key, params);
  }

  redirect(reply: FastifyReply, to: string): FastifyReply {
    return reply.redirect(to, 303);
  }

  /** Field problems as an error summary (each linking to its field) and inline messages. */
  errors(err: unknown, hrefFor: (field: string) => string = (f) => f): PageErrors {
    if (!(err instanceof UseCaseError)) throw err;
    const fieldErrors: Record<string, string> = {};
    const errors: PageErrors['errors'] = [];
    for (const p of err.fields) {
      if (fieldErrors[p.field] !== undefined) continue;
      fieldErrors[p.field] = p.message;
      errors.push({ text: p.message, href: hrefFor(p.field) });
    }
    if (errors.length === 0) errors.push({ text: err.message, href: 'main-content' });
    return { errors, fieldErrors };
  }
}

/** A form body as plain fields, from urlencoded or multipart; anything else gives none. */
export function formFields(req: PageRequest): Record<string, string | string[]> {
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return {};
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
  }
  return out;
}

export function field(fields: Record<string, string | string[]>, name: string): string {
  const v = fields[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}
