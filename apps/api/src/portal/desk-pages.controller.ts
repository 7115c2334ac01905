import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { BulkTransitionsUseCase, DESK_SORTS, DeskQueries, DeskSort } from '@sg/applications';
import { APPLICATION_STATES, UseCaseError } from '@sg/domain';
import { SignedIn } from '@sg/identity';
import { Organisations } from '@sg/organisations';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { deskUser } from './desk-application-page';
import { decisionsView, deskListView } from './desk-view/desk-list.view';
import { field, formFields, PageRequest, Pages } from './pages';

/** The officer's desk: a fund's applications by state, the panel's decision list, and routine actions in bulk. */
@ApiExcludeController()
@Public()
@Controller('desk')
export class DeskPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly desk: DeskQueries,
    private readonly organisations: Organisations,
    private readonly bulkTransitions: BulkTransitionsUseCase,
  ) {}

  @Get('funds/:fundId')
  async fund(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('fundId') fundId: string,
    @Query('state') state?: string,
    @Query('sort') sort?: string,
    @Query('area') area?: string,
  ) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    return this.fundPage(req, reply, user, fundId, { state, sort, area }, {});
  }

  /** The panel's decision list: what awaits decision, against the fund's money and each organisation's headroom. */
  @Get('funds/:fundId/decisions')
  async decisions(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fundId') fundId: string) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    const d = await this.desk.decisions(user.actor, fundId);
    return this.pages.render(req, reply, 'decisions', { ...decisionsView(d, fundId, this.pages.messages), user });
  }

  /** Routine actions on the ticked applications; each still goes through the machine on its own. */
  @Post('funds/:fundId/bulk')
  async bulk(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fundId') fundId: string) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    const f = formFields(req);
    const ids = [f.ids ?? []].flat().filter((id) => /^[0-9a-f-]{36}$/.test(id));
    const action = field(f, 'action');
    const text = field(f, 'text').trim();
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    if (ids.length === 0)
      return this.fundPage(req, reply, user, fundId, {}, { notice: t('bulk.noneSelected'), refused: [] }, 400);
    let results;
    try {
      results = await this.bulkTransitions.execute(user.actor, action, ids, {
        reason: text || undefined,
        message: text || undefined,
        source: 'portal',
      });
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['not_found', 'invalid'].includes(err.kind)) throw err;
      return this.fundPage(req, reply, user, fundId, {}, { notice: err.message, refused: [] }, 400);
    }
    const refs = new Map((await this.desk.desk(user.actor, fundId, {})).rows.map((r) => [r.id, r.reference]));
    const refused = results
      .filter((r) => !r.ok)
      .map((r) => `${refs.get(r.applicationId) ?? r.applicationId}: ${r.message}`);
    return this.fundPage(
      req,
      reply,
      user,
      fundId,
      {},
      { notice: t('bulk.result', { done: results.length - refused.length, refused: refused.length }), refused },
    );
  }

  private async fundPage(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    fundId: string,
    q: { state?: string; sort?: string; area?: string },
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const { state, sort } = q;
    const chosenState = state && (APPLICATION_STATES as readonly string[]).includes(state) ? state : undefined;
    const chosenSort = (DESK_SORTS as readonly string[]).includes(sort ?? '') ? (sort as DeskSort) : 'waiting';
    const areas = await this.organisations.knownAreas();
    const chosenArea = q.area && areas.has(q.area) ? q.area : undefined;
    const desk = await this.desk.desk(user.actor, fundId, { state: chosenState, sort: chosenSort, area: chosenArea });
    const chosen = { state: chosenState, sort: chosenSort, area: chosenArea };
    return this.pages.render(
      req,
      reply,
      'desk',
      { ...deskListView(desk, areas, chosen, this.pages.messages), user, ...extra },
      status,
    );
  }
}
