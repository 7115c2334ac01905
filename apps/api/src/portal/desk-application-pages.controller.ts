import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AssessApplicationUseCase, ExecuteTransitionUseCase, InternalNotes } from '@sg/applications';
import { LifecycleAction, UseCaseError } from '@sg/domain';
import { SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { DeskApplicationPage, deskUser } from './desk-application-page';
import { adoptedConditions, DESK_ACTIONS, deskActionCommand, deskActionRefusal } from './desk-view/desk-actions.view';
import { field, formFields, PageRequest, Pages } from './pages';

/** The desk's application page, with what this officer may do: the lifecycle actions and the internal notes. */
@ApiExcludeController()
@Public()
@Controller('desk')
export class DeskApplicationPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly page: DeskApplicationPage,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly notes: InternalNotes,
    private readonly assessments: AssessApplicationUseCase,
  ) {}

  @Get('applications/:id')
  async application(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Query('done') done?: string,
  ) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    return this.page.render(req, reply, user, id, { notice: done ? this.pages.t('desk.done') : undefined });
  }

  @Post('applications/:id/actions/:action')
  async act(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Param('action') action: string,
  ) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    const spec = DESK_ACTIONS[action as LifecycleAction];
    if (!spec) throw UseCaseError.notFound('The action');
    const f = formFields(req);
    const parsed = deskActionCommand(action, spec, f, this.pages.messages);
    if ('errors' in parsed) return this.page.render(req, reply, user, id, parsed.errors, 400);
    // The assessment's proposed conditions the decider kept ticked become the award's tracked conditions.
    if (spec.adoptsProposals) parsed.command.conditionDetails = adoptedConditions(f, await this.proposals(user, id));
    try {
      await this.transitions.execute(user.actor, id, action, parsed.command);
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['unprocessable', 'forbidden', 'conflict'].includes(err.kind)) throw err;
      const errs = deskActionRefusal(action, spec, err.fields[0]?.field ?? '', err.message);
      return this.page.render(req, reply, user, id, errs, 400);
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/notes')
  async addNote(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    try {
      await this.notes.add(user.actor, id, field(formFields(req), 'body'));
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.kind !== 'invalid') throw err;
      return this.page.render(
        req,
        reply,
        user,
        id,
        this.pages.errors(err, () => 'note-body'),
        400,
      );
    }
    return this.pages.redirect(reply, `/desk/applications/${id}`);
  }

  /** The assessment's proposed conditions the decider may adopt; none when this reader may not see the assessment. */
  private async proposals(user: SignedIn, id: string) {
    try {
      return (await this.assessments.get(user.actor, id)).assessment?.proposedConditions ?? [];
    } catch (err) {
      if (err instanceof UseCaseError && ['forbidden', 'not_found'].includes(err.kind)) return [];
      throw err;
    }
  }
}
