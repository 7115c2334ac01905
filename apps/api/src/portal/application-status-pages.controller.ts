import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApplicationQueries, ApplicationView, ExecuteTransitionUseCase, ReadOfferLetter } from '@sg/applications';
import { UseCaseError } from '@sg/domain';
import { SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { ApplicationPageReads } from './application-page-reads';
import { taskListView } from './application-view/draft.view';
import { readOfferForm } from './application-view/offer-form';
import { offerLetterView } from './application-view/offer-letter.view';
import { statusPageView } from './application-view/status.view';
import { field, formFields, PageRequest, Pages } from './pages';

/**
 * An application's own page (the task list while it is a draft, then where it stands), answering
 * the officer's question, the offer (accept or decline) and the printable offer letter.
 */
@ApiExcludeController()
@Public()
@Controller('applications/:id')
export class ApplicationStatusPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly reads: ApplicationPageReads,
    private readonly queries: ApplicationQueries,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly offerLetters: ReadOfferLetter,
  ) {}

  @Get()
  async application(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Query('saved') saved?: string,
    @Query('submitted') submitted?: string,
    @Query('reported') reported?: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.queries.get(user.actor, id);
    if (app.state === 'draft')
      return this.taskList(req, reply, user, app, saved ? this.pages.t('section.savedNotice') : undefined);
    const notice = saved ? this.pages.t('info.sent') : reported ? this.pages.t('report.sent') : undefined;
    return this.statusPage(req, reply, user, app, { submittedPanel: !!submitted, notice });
  }

  @Post('information')
  async provideInformation(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const message = field(formFields(req), 'message').trim();
    const app = await this.queries.get(user.actor, id);
    if (message === '' || message.length > 5000) {
      const text = this.pages.t(message === '' ? 'info.required' : 'info.tooLong');
      const errs = { errors: [{ text, href: 'message' }], fieldErrors: { message: text }, values: { message } };
      return this.statusPage(req, reply, user, app, errs, 400);
    }
    await this.transitions.execute(user.actor, id, 'provide-information', { message });
    return this.pages.redirect(reply, `/applications/${id}?saved=1`);
  }

  @Post('offer')
  async offer(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const answer = readOfferForm(formFields(req), this.pages.messages);
    const { values } = answer;
    const refuse = async (errors: { text: string; href: string }[], fieldErrors: Record<string, string>) =>
      this.statusPage(req, reply, user, await this.queries.get(user.actor, id), { errors, fieldErrors, values }, 400);
    if (answer.kind === 'refused') return refuse(answer.errors, answer.fieldErrors);
    if (answer.kind === 'decline') {
      await this.transitions.execute(user.actor, id, 'decline-offer', { source: 'portal', reason: answer.reason });
      return this.pages.redirect(reply, `/applications/${id}`);
    }
    try {
      await this.transitions.execute(user.actor, id, 'accept-offer', {
        signatoryName: values.signatoryName,
        signatoryRole: values.signatoryRole,
        acceptsTerms: true,
        source: 'portal',
      });
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.kind !== 'unprocessable') throw err;
      return refuse([{ text: err.message, href: 'decision' }], {});
    }
    return this.pages.redirect(reply, `/applications/${id}`);
  }

  /** The offer letter: printable, for the applicant and the fund's officers, once an award is made. */
  @Get('offer-letter')
  async offerLetter(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const letter = await this.offerLetters.get(user.actor, id);
    return this.pages.render(req, reply, 'offer-letter', {
      title: this.pages.t('letter.title'),
      letter: offerLetterView(letter, this.pages.messages),
      user,
      backLink: `/applications/${id}`,
    });
  }

  private async taskList(req: PageRequest, reply: FastifyReply, user: SignedIn, app: ApplicationView, notice?: string) {
    const form = await this.reads.form(app);
    const files = await this.reads.files(user.actor, app.id);
    return this.pages.render(req, reply, 'task-list', {
      title: this.pages.t('taskList.title'),
      user,
      application: app,
      fundName: await this.reads.fundName(app.fundId),
      ...taskListView(form, app.answers, files.questions, this.pages.messages),
      notice,
      backLink: '/',
    });
  }

  private async statusPage(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    app: ApplicationView,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const events = await this.queries.events(user.actor, app.id);
    const form = await this.reads.formOrNull(app);
    const { names } = form ? await this.reads.files(user.actor, app.id) : { names: new Map<string, string>() };
    const view = statusPageView(app, events, form, names, this.pages.messages);
    return this.pages.render(
      req,
      reply,
      'application',
      {
        title: app.title || app.reference,
        user,
        application: app,
        fundName: await this.reads.fundName(app.fundId),
        ...view,
        notice: undefined,
        backLink: '/',
        ...extra,
      },
      status,
    );
  }
}
