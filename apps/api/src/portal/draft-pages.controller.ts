import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  ApplicationFiles,
  ApplicationQueries,
  ApplicationView,
  DraftApplicationUseCase,
  ExecuteTransitionUseCase,
} from '@sg/applications';
import { Actor, AnswerProblem, fieldsFromAnswer, FormDefinition, UseCaseError } from '@sg/domain';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { AcceptsUploads, readMultipart } from '../http/multipart';
import { UuidParam } from '../http/params';
import { ApplicationPageReads } from './application-page-reads';
import {
  afterSectionSave,
  checkPageView,
  problemsFromUseCase,
  sectionPageView,
  sectionSave,
  submissionErrors,
} from './application-view/draft.view';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';

type Fields = Record<string, string | string[]>;

/** Drafting an application section by section, checking the answers and submitting them. */
@ApiExcludeController()
@Public()
@Controller('applications/:id')
export class DraftPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly reads: ApplicationPageReads,
    private readonly queries: ApplicationQueries,
    private readonly drafts: DraftApplicationUseCase,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly files: ApplicationFiles,
  ) {}

  @Get('sections/:sectionId')
  async section(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Param('sectionId') sectionId: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.reads.draft(user.actor, id);
    const form = await this.reads.form(app);
    const section = form.sections.find((s) => s.id === sectionId);
    if (!section) throw UseCaseError.notFound('The section');
    const fields: Fields = {};
    for (const q of section.questions) Object.assign(fields, fieldsFromAnswer(q, app.answers[q.id]));
    const { names } = await this.reads.files(user.actor, app.id);
    return this.sectionPage(req, reply, app, form, sectionId, fields, [], names);
  }

  /**
   * Saves one section. Everything posted is read and checked together; a problem anywhere saves
   * nothing and shows every problem, with what was typed. A file chosen here is uploaded first.
   */
  @Post('sections/:sectionId')
  @AcceptsUploads()
  async saveSection(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Param('sectionId') sectionId: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    let app = await this.reads.draft(user.actor, id);
    const form = await this.reads.form(app);
    const section = form.sections.find((s) => s.id === sectionId);
    if (!section) throw UseCaseError.notFound('The section');
    const { fields: partFields, file } = req.isMultipart()
      ? await readMultipart(req)
      : { fields: formFields(req), file: null };
    const fields: Fields = { ...partFields };
    const uploadProblems: AnswerProblem[] = [];

    const fileQuestion = section.questions.find((q) => q.type === 'file');
    if (file && fileQuestion && file.name) {
      try {
        const uploaded = await this.files.upload(user.actor, app.id, fileQuestion.id, file);
        fields[fileQuestion.id] = uploaded.id;
        app = await this.queries.get(user.actor, id);
      } catch (err) {
        if (!(err instanceof UseCaseError) || err.kind !== 'invalid') throw err;
        uploadProblems.push({
          field: `answers.${fileQuestion.id}`,
          questionId: fileQuestion.id,
          code: 'file',
          message: err.fields[0]?.message ?? err.message,
        });
      }
    }
    const files = await this.reads.files(user.actor, app.id);
    const { patch, problems } = sectionSave(form, sectionId, app.answers, fields, files.questions, uploadProblems);
    if (problems.length > 0)
      return this.sectionPage(req, reply, app, form, sectionId, fields, problems, files.names, 400);
    try {
      await this.drafts.update(user.actor, id, { answers: patch });
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.fields.length === 0) throw err;
      const fromUseCase = problemsFromUseCase(err);
      return this.sectionPage(req, reply, app, form, sectionId, fields, fromUseCase, files.names, 400);
    }
    return this.pages.redirect(reply, afterSectionSave(form, id, sectionId, field(fields, 'next')));
  }

  @Get('check')
  async check(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.reads.draft(user.actor, id);
    return this.checkPage(req, reply, user.actor, app, {});
  }

  @Post('submit')
  async submit(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.reads.draft(user.actor, id);
    if (field(formFields(req), 'declaration') !== 'agreed') {
      const text = this.pages.t('check.declarationRequired');
      const errs = { errors: [{ text, href: 'declaration' }], fieldErrors: { declaration: text } };
      return this.checkPage(req, reply, user.actor, app, errs, 400);
    }
    try {
      await this.transitions.execute(user.actor, id, 'submit', {});
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.code !== 'application_incomplete') throw err;
      const errors = submissionErrors(await this.reads.form(app), err);
      return this.checkPage(req, reply, user.actor, app, { errors, fieldErrors: {} }, 422);
    }
    return this.pages.redirect(reply, `/applications/${id}?submitted=1`);
  }

  private async sectionPage(
    req: PageRequest,
    reply: FastifyReply,
    app: ApplicationView,
    form: FormDefinition,
    sectionId: string,
    fields: Fields,
    problems: AnswerProblem[],
    fileNames: ReadonlyMap<string, string>,
    status = 200,
  ) {
    const view = sectionPageView(app.id, form, sectionId, fields, problems, fileNames, this.pages.messages);
    return this.pages.render(req, reply, 'section', { ...view, application: app }, status);
  }

  private async checkPage(
    req: PageRequest,
    reply: FastifyReply,
    actor: Actor,
    app: ApplicationView,
    errs: Partial<PageErrors>,
    status = 200,
  ) {
    const form = await this.reads.form(app);
    const { names } = await this.reads.files(actor, app.id);
    const view = checkPageView(form, app.answers, names, errs);
    return this.pages.render(
      req,
      reply,
      'check-answers',
      {
        title: this.pages.t('check.title'),
        application: app,
        fundName: await this.reads.fundName(app.fundId),
        backLink: `/applications/${app.id}`,
        ...view,
      },
      status,
    );
  }
}
