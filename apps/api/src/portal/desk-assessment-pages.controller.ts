import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApplicationQueries, AssessApplicationUseCase, AwardConditions, ConflictDeclarations } from '@sg/applications';
import { can, parsePounds, UseCaseError } from '@sg/domain';
import { SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { DeskApplicationPage, deskUser } from './desk-application-page';
import { assessmentFormFields, assessmentFormView } from './desk-view/assessment-form.view';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';

/** The desk's judgement on an application: the risk-capability assessment, its countersignature, conflicts of interest and conditions. */
@ApiExcludeController()
@Public()
@Controller('desk')
export class DeskAssessmentPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly page: DeskApplicationPage,
    private readonly queries: ApplicationQueries,
    private readonly assessments: AssessApplicationUseCase,
    private readonly conditions: AwardConditions,
    private readonly conflicts: ConflictDeclarations,
  ) {}

  @Get('applications/:id/assessment')
  async assessmentForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    if (!can(user.actor.role, 'screen-and-assess')) throw UseCaseError.notFound('The page');
    const view = await this.assessments.get(user.actor, id);
    // Scoring waits for the assessor's declaration, asked on the application's page.
    if ((await this.conflicts.declaration(user.actor, id)) === null)
      return this.pages.redirect(reply, `/desk/applications/${id}#conflict-of-interest`);
    return this.assessmentPage(req, reply, user, id, assessmentFormFields(view), {});
  }

  @Post('applications/:id/assessment')
  async saveAssessment(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    const f = formFields(req) as Record<string, string>;
    const view = await this.assessments.get(user.actor, id);
    if ((await this.conflicts.declaration(user.actor, id)) === null)
      return this.pages.redirect(reply, `/desk/applications/${id}#conflict-of-interest`);
    const scores: Record<string, unknown> = {};
    const notes: Record<string, string> = {};
    for (const area of view.rubric?.areas ?? []) {
      const raw = field(f, `score-${area.id}`);
      if (raw !== '') scores[area.id] = /^[0-3]$/.test(raw) ? Number(raw) : raw;
      const note = field(f, `note-${area.id}`).trim();
      if (note) notes[area.id] = note.slice(0, 2000);
    }
    const tier = field(f, 'riskTier');
    const override = field(f, 'overrideOutcome');
    const recommendedText = field(f, 'recommended').trim();
    const recommendedPence = recommendedText === '' ? undefined : parsePounds(recommendedText);
    if (recommendedPence === null) {
      const text = this.pages.t('desk.amountInvalid');
      return this.assessmentPage(
        req,
        reply,
        user,
        id,
        f,
        { errors: [{ text, href: 'recommended' }], fieldErrors: { recommendedPence: text } },
        400,
      );
    }
    try {
      await this.assessments.save(user.actor, id, {
        riskTier: (['low', 'medium', 'high'].includes(tier) ? tier : undefined) as never,
        scores,
        notes,
        recommendedPence,
        ...(override && override !== 'computed'
          ? { overrideOutcome: override as never, overrideReason: field(f, 'overrideReason') }
          : {}),
      });
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['invalid', 'unprocessable'].includes(err.kind)) throw err;
      const errs = this.pages.errors(err, (fld) =>
        fld.startsWith('scores.') ? `score-${fld.slice(7)}` : fld === 'recommendedPence' ? 'recommended' : fld,
      );
      return this.assessmentPage(req, reply, user, id, f, errs, 400);
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/assessment/countersign')
  async countersign(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    try {
      await this.assessments.countersign(user.actor, id);
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['forbidden', 'conflict'].includes(err.kind)) throw err;
      return this.page.render(
        req,
        reply,
        user,
        id,
        { errors: [{ text: err.message, href: 'main-content' }], fieldErrors: {} },
        400,
      );
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/conflict-of-interest')
  async declare(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    const answer = field(formFields(req), 'conflicted');
    if (answer !== 'yes' && answer !== 'no') {
      const text = this.pages.t('coi.legend');
      return this.page.render(req, reply, user, id, { errors: [{ text, href: 'conflicted' }], fieldErrors: {} }, 400);
    }
    await this.conflicts.declare(user.actor, id, answer === 'yes', undefined, req.ip);
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/conditions/:conditionId')
  async resolveCondition(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @UuidParam('conditionId') conditionId: string,
  ) {
    const user = await deskUser(this.pages, req, reply);
    if (!user) return;
    const f = formFields(req);
    const outcome = field(f, 'outcome') === 'waived' ? 'waived' : 'met';
    try {
      await this.conditions.resolve(user.actor, id, conditionId, outcome, field(f, 'note'));
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['invalid', 'conflict', 'forbidden'].includes(err.kind)) throw err;
      return this.page.render(
        req,
        reply,
        user,
        id,
        { errors: [{ text: err.message, href: `condition-${conditionId}` }], fieldErrors: {} },
        400,
      );
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  private async assessmentPage(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    fields: Record<string, string>,
    errs: Partial<PageErrors>,
    status = 200,
  ) {
    const app = await this.queries.get(user.actor, id);
    const view = await this.assessments.get(user.actor, id);
    const page = assessmentFormView(id, app, view, fields, errs, this.pages.messages);
    return this.pages.render(req, reply, 'assessment-form', { ...page, user }, status);
  }
}
