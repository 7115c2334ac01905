import type { FastifyReply } from 'fastify';
import { Problem } from '../http/problem';
import { ErrorPages } from '../http/problem.filter';
import { Messages } from './messages';
import { isPageRequest } from './portal-setup';

/**
 * An error on a page answers a page, not problem+json: a person gets a heading, what happened in
 * plain words and a way home. The status is the same one the API would give.
 */
export function sendPageError(reply: FastifyReply, p: Problem, messages: Messages): void {
  const key =
    p.status === 404
      ? 'notFound'
      : p.code === 'fst_csrf_invalid_token' || p.code === 'fst_csrf_missing_secret'
        ? 'csrf'
        : p.status === 413
          ? 'tooLarge'
          : p.status === 403
            ? 'forbidden'
            : p.status === 429
              ? 'tooMany'
              : p.status >= 500
                ? 'server'
                : 'bad';
  const title = messages.t(`error.${key}.title`);
  // A rate limit says when to come back (its Retry-After, in seconds), rounded up to minutes.
  const minutes = Math.max(1, Math.ceil(Number(reply.getHeader('retry-after') ?? 60) / 60));
  const paragraphs = [messages.t(`error.${key}.body`, { minutes })];
  if (typeof reply.view !== 'function') {
    void reply
      .status(p.status)
      .type('text/plain; charset=utf-8')
      .send(`${title}\n\n${paragraphs.join('\n')}`);
    return;
  }
  void reply
    .status(p.status)
    .header('cache-control', 'no-store')
    .view('pages/error', { lang: 'en', title, paragraphs, user: null, csrfToken: '' });
}

/** The portal's error pages, for the HTTP layer's error handling (which knows no pages). */
export class PortalErrorPages extends ErrorPages {
  constructor(private readonly messages: Messages) {
    super();
  }

  handles(url: string): boolean {
    return isPageRequest(url);
  }

  send(reply: FastifyReply, p: Problem): void {
    sendPageError(reply, p, this.messages);
  }
}
