import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { UseCaseError } from '@sg/domain';
import { SecurityLog, StaffAccounts } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { EventQuery, eventFilter, eventRows, kindOptions, nextPageHref } from './admin-view';
import { PageErrors, PageRequest, Pages } from './pages';
import { SecondFactorSession } from './second-factor-session';

const PAGE_SIZE = 50;

/**
 * The security log for administrators (capability `read-security-events`), newest first, filtered
 * by a GET form (kind, person by email address, days from and to) with a link to the next page.
 */
@ApiExcludeController()
@Public()
@Controller('admin/security-events')
export class SecurityEventPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly log: SecurityLog,
    private readonly staff: StaffAccounts,
    private readonly secondFactor: SecondFactorSession,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query() query: EventQuery) {
    const user = await this.pages.requireUser(req, reply);
    if (!user || !(await this.secondFactor.requireRecent(req, reply, user))) return;
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const q: EventQuery = {};
    for (const k of ['kind', 'person', 'from', 'to', 'before'] as const)
      if (typeof query[k] === 'string') q[k] = (query[k] as string).slice(0, 254);
    let rows: Awaited<ReturnType<SecurityLog['list']>> = [];
    let errs: PageErrors | undefined;
    try {
      const f = eventFilter(q, t);
      const userId = f.person ? await this.staff.personByEmail(user.actor, f.person) : undefined;
      if (userId === null) {
        const message = t('securityEvents.noSuchPerson');
        throw new UseCaseError('invalid', 'validation_failed', message, [{ field: 'person', message }]);
      }
      rows = await this.log.list(user.actor, { ...f, userId, limit: PAGE_SIZE + 1 });
    } catch (err) {
      if (err instanceof UseCaseError && err.kind === 'forbidden') throw err;
      // A filter that cannot be read: say so; the log itself is still only for its readers.
      await this.log.list(user.actor, { limit: 1 });
      errs = this.pages.errors(err);
    }
    const shown = rows.slice(0, PAGE_SIZE);
    return this.pages.render(
      req,
      reply,
      'security-events',
      {
        title: t('securityEvents.title'),
        user,
        values: q,
        kinds: kindOptions(q.kind, t),
        rows: eventRows(shown, t),
        next: rows.length > PAGE_SIZE ? nextPageHref(q, shown[shown.length - 1].id) : undefined,
        backLink: '/',
        ...(errs ?? {}),
      },
      errs ? 400 : 200,
    );
  }
}
