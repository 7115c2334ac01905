import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  ApplicationFiles,
  ApplicationForms,
  AwardConditions,
  DeskQueries,
  ApplicationQueries,
  ApplicationView,
  DraftApplicationUseCase,
  ExecuteTransitionUseCase,
  uploadedFiles,
} from '@sg/applications';
import {
  Actor,
  AnswerProblem,
  answerFromFields,
  answerSummary,
  fieldsFromAnswer,
  formatPounds,
  FormDefinition,
  humanDate,
  londonDate,
  splitByPercent,
  PostedFields,
  UseCaseError,
  validateAnswers,
} from '@sg/domain';
import { FundEvidenceQueries, FundQueries } from '@sg/funds';
import { SignedIn } from '@sg/identity';
import { Organisations } from '@sg/organisations';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../http/actor';
import { readMultipart } from '../http/multipart';
import { UuidParam } from '../http/params';
import { sendStoredFile } from '../http/send-file';
import { field, formFields, PageRequest, Pages } from './pages';
import { firstInputId, questionView } from './question-view';

/** The applicant's home, a fund's page, and an application from its first answer to the offer. */
@ApiExcludeController()
@Public()
@Controller()
export class ApplicationPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly funds: FundQueries,
    private readonly organisations: Organisations,
    private readonly queries: ApplicationQueries,
    private readonly drafts: DraftApplicationUseCase,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly forms: ApplicationForms,
    private readonly files: ApplicationFiles,
    private readonly conditions: AwardConditions,
    private readonly desk: DeskQueries,
    private readonly evidence: FundEvidenceQueries,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  async home(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.user(req);
    const funds = await this.funds.list();
    if (!user) return this.pages.render(req, reply, 'home', { title: this.pages.t('home.title'), funds, user: null });
    if (user.actor.role === 'funder_viewer') {
      // A funder's viewers read their funds' evidence (aggregates only), and nothing else.
      return this.pages.render(req, reply, 'staff', {
        title: this.pages.t('staff.title'),
        user,
        funds: [],
        funderFunds: await this.evidence.fundedBy(user.actor),
      });
    }
    if (user.actor.role !== 'applicant')
      return this.pages.render(req, reply, 'staff', {
        title: this.pages.t('staff.title'),
        user,
        funds: await this.desk.funds(user.actor),
      });
    const fundNames = new Map(funds.map((f) => [f.id, f.name]));
    const { items } = await this.queries.list(user.actor, { limit: 200, offset: 0 });
    const applications = items.map((a) => ({
      ...a,
      fundName: fundNames.get(a.fundId) ?? '',
      stateLabel: this.pages.t(`state.${a.state}`),
    }));
    return this.pages.render(req, reply, 'dashboard', {
      title: this.pages.t('dashboard.title'),
      user,
      funds,
      applications,
      organisations: await this.organisations.mine(user.actor),
    });
  }

  @Get('funds/:slug')
  async fund(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('slug') slug: string) {
    return this.fundPage(req, reply, slug, {});
  }

  @Post('funds/:slug/applications')
  async start(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('slug') slug: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const fund = (await this.funds.list()).find((f) => f.slug === slug);
    if (!fund) throw UseCaseError.notFound('The fund');
    const organisationId = field(formFields(req), 'organisationId');
    try {
      const app = await this.drafts.create(
        user.actor,
        fund.id,
        /^[0-9a-f-]{36}$/.test(organisationId) ? organisationId : '00000000-0000-0000-0000-000000000000',
        {},
      );
      const form = await this.formOf(app);
      return this.pages.redirect(reply, `/applications/${app.id}/sections/${form.sections[0].id}`);
    } catch (err) {
      const message =
        err instanceof UseCaseError && err.fields[0]?.field === 'organisationId'
          ? this.pages.t('fund.chooseOrganisation')
          : undefined;
      const errs = this.pages.errors(err, () => 'organisationId');
      if (message) errs.fieldErrors.organisationId = errs.errors[0].text = message;
      return this.fundPage(req, reply, slug, errs, 400);
    }
  }

  @Get('applications/:id')
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

  @Get('applications/:id/sections/:sectionId')
  async section(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Param('sectionId') sectionId: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.draftOf(user.actor, id);
    const form = await this.formOf(app);
    const section = form.sections.find((s) => s.id === sectionId);
    if (!section) throw UseCaseError.notFound('The section');
    const fields: Record<string, string | string[]> = {};
    for (const q of section.questions) Object.assign(fields, fieldsFromAnswer(q, app.answers[q.id]));
    return this.sectionPage(req, reply, user.actor, app, form, sectionId, fields, []);
  }

  /**
   * Saves one section. Everything posted is read and checked together; a problem anywhere saves
   * nothing and shows every problem, with what was typed. A file chosen here is uploaded first.
   */
  @Post('applications/:id/sections/:sectionId')
  async saveSection(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Param('sectionId') sectionId: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    let app = await this.draftOf(user.actor, id);
    const form = await this.formOf(app);
    const section = form.sections.find((s) => s.id === sectionId);
    if (!section) throw UseCaseError.notFound('The section');
    const multipart = req.isMultipart();
    const { fields: partFields, file } = multipart ? readMultipart(req) : { fields: formFields(req), file: null };
    const fields: Record<string, string | string[]> = { ...partFields };
    const problems: AnswerProblem[] = [];

    const fileQuestion = section.questions.find((q) => q.type === 'file');
    if (file && fileQuestion && file.name) {
      try {
        const uploaded = await this.files.upload(user.actor, app.id, fileQuestion.id, file);
        fields[fileQuestion.id] = uploaded.id;
        app = await this.queries.get(user.actor, id);
      } catch (err) {
        if (!(err instanceof UseCaseError) || err.kind !== 'invalid') throw err;
        problems.push({
          field: `answers.${fileQuestion.id}`,
          questionId: fileQuestion.id,
          code: 'file',
          message: err.fields[0]?.message ?? err.message,
        });
      }
    }

    const patch: Record<string, unknown> = {};
    for (const q of section.questions) {
      const read = answerFromFields(q, fields as PostedFields);
      if ('problem' in read) problems.push(read.problem);
      else patch[q.id] = 'value' in read ? read.value : null;
    }
    // The one validator judges the whole draft as it would be after this save.
    const candidate: Record<string, unknown> = { ...app.answers };
    for (const [k, v] of Object.entries(patch))
      if (v === null) delete candidate[k];
      else candidate[k] = v;
    const files = await uploadedFiles(this.dataSource.manager, app.id);
    const checked = validateAnswers(form, candidate, 'draft', { files });
    const sectionIds = new Set(section.questions.map((q) => q.id));
    for (const p of checked.problems)
      if (sectionIds.has(p.questionId) && !problems.some((x) => x.questionId === p.questionId)) problems.push(p);
    if (problems.length > 0)
      return this.sectionPage(req, reply, user.actor, app, form, sectionId, fields, problems, 400);

    try {
      await this.drafts.update(user.actor, id, { answers: patch });
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.fields.length === 0) throw err;
      const fromUseCase = err.fields.map((f) => ({
        field: f.field,
        questionId: f.field.replace(/^answers\./, '').split(/[.[]/)[0],
        code: err.code,
        message: f.message,
      }));
      return this.sectionPage(req, reply, user.actor, app, form, sectionId, fields, fromUseCase, 400);
    }
    const index = form.sections.findIndex((s) => s.id === sectionId);
    if (field(fields, 'next') === 'later') return this.pages.redirect(reply, `/applications/${id}?saved=1`);
    const next = form.sections[index + 1];
    return this.pages.redirect(reply, next ? `/applications/${id}/sections/${next.id}` : `/applications/${id}/check`);
  }

  @Get('applications/:id/check')
  async check(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.draftOf(user.actor, id);
    return this.checkPage(req, reply, user.actor, app, {});
  }

  @Post('applications/:id/submit')
  async submit(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.draftOf(user.actor, id);
    if (field(formFields(req), 'declaration') !== 'agreed') {
      const text = this.pages.t('check.declarationRequired');
      return this.checkPage(
        req,
        reply,
        user.actor,
        app,
        { errors: [{ text, href: 'declaration' }], fieldErrors: { declaration: text } },
        400,
      );
    }
    try {
      await this.transitions.execute(user.actor, id, 'submit', {});
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.code !== 'application_incomplete') throw err;
      const form = await this.formOf(app);
      const sectionOf = (qid: string) =>
        form.sections.find((s) => s.questions.some((q) => q.id === qid))?.id ?? form.sections[0].id;
      const errors = err.fields.map((f) => {
        const qid = f.field.replace(/^answers\./, '').split(/[.[]/)[0];
        return { text: f.message, href: `section-${sectionOf(qid)}-${qid}` };
      });
      return this.checkPage(req, reply, user.actor, app, { errors, fieldErrors: {} }, 422);
    }
    return this.pages.redirect(reply, `/applications/${id}?submitted=1`);
  }

  @Post('applications/:id/information')
  async provideInformation(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const message = field(formFields(req), 'message').trim();
    const app = await this.queries.get(user.actor, id);
    if (message === '' || message.length > 5000) {
      const text = this.pages.t(message === '' ? 'info.required' : 'info.tooLong');
      return this.statusPage(
        req,
        reply,
        user,
        app,
        { errors: [{ text, href: 'message' }], fieldErrors: { message: text }, values: { message } },
        400,
      );
    }
    await this.transitions.execute(user.actor, id, 'provide-information', { message });
    return this.pages.redirect(reply, `/applications/${id}?saved=1`);
  }

  @Post('applications/:id/offer')
  async offer(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const f = formFields(req);
    const values = {
      decision: field(f, 'decision'),
      signatoryName: field(f, 'signatoryName'),
      signatoryRole: field(f, 'signatoryRole'),
    };
    const refuse = async (errors: { text: string; href: string }[], fieldErrors: Record<string, string>) =>
      this.statusPage(req, reply, user, await this.queries.get(user.actor, id), { errors, fieldErrors, values }, 400);
    if (values.decision !== 'accept' && values.decision !== 'decline') {
      const text = this.pages.t('offer.required');
      return refuse([{ text, href: 'decision' }], { decision: text });
    }
    if (values.decision === 'decline') {
      await this.transitions.execute(user.actor, id, 'decline-offer', {
        source: 'portal',
        reason: field(f, 'declineReason').trim().slice(0, 5000) || undefined,
      });
      return this.pages.redirect(reply, `/applications/${id}`);
    }
    // Every missing part of the signature at once, in the page's order.
    const missing: [string, string][] = [];
    if (values.signatoryName.trim() === '')
      missing.push(['signatoryName', this.pages.t('offer.signatoryNameRequired')]);
    if (values.signatoryRole.trim() === '')
      missing.push(['signatoryRole', this.pages.t('offer.signatoryRoleRequired')]);
    if (field(f, 'acceptsTerms') !== 'yes') missing.push(['acceptsTerms', this.pages.t('offer.acceptsTermsRequired')]);
    if (missing.length > 0)
      return refuse(
        missing.map(([href, text]) => ({ text, href })),
        Object.fromEntries(missing),
      );
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
  @Get('applications/:id/offer-letter')
  async offerLetter(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const app = await this.queries.get(user.actor, id);
    if (app.awardedPence === null)
      throw new UseCaseError('not_found', 'no_offer', 'There is no offer for this application');
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const [fund] = await this.dataSource.query(
      `SELECT f.name, f.payment_schedule, f.report_schedule, p.name AS managing FROM funds f
       JOIN fund_partners fp ON fp.fund_id = f.id AND fp.role = 'managing' JOIN partner_organisations p ON p.id = fp.partner_organisation_id WHERE f.id = $1`,
      [app.fundId],
    );
    const [org] = await this.dataSource.query(
      'SELECT address_line_1, address_line_2, town, postcode FROM organisations WHERE id = $1',
      [app.organisation.id],
    );
    const events = await this.queries.events(user.actor, id);
    const approval = [...events].reverse().find((e) => e.action === 'approve');
    const [accepted] = await this.dataSource.query(
      `SELECT data, created_at FROM events WHERE application_id = $1 AND action = 'accept-offer' ORDER BY id DESC LIMIT 1`,
      [id],
    );
    const day = (d: string | Date) => humanDate(londonDate(new Date(d)));
    const schedule = fund.payment_schedule as { percent: number; trigger: string }[];
    const amounts = splitByPercent(
      app.awardedPence,
      schedule.map((p) => p.percent),
    );
    const conditions = await this.conditions.list(user.actor, id);
    const letter = {
      managingOrganisation: fund.managing,
      fundName: fund.name,
      date: day(app.decidedAt ?? app.updatedAt),
      organisationName: app.organisation.name,
      address: [org.address_line_1, org.address_line_2, org.town, org.postcode].filter((l: string | null) => !!l),
      reference: app.reference,
      title: app.title,
      amount: formatPounds(app.awardedPence),
      partial: app.requestedPence !== null && app.awardedPence < app.requestedPence,
      requested: app.requestedPence === null ? '' : formatPounds(app.requestedPence),
      reason: approval?.reason ?? '',
      payments: schedule.map((p, i) =>
        t(p.trigger === 'on_interim_report_accepted' ? 'letter.paymentOnInterim' : 'letter.paymentOnAcceptance', {
          percent: p.percent,
          amount: formatPounds(amounts[i]),
        }),
      ),
      conditions: conditions.map((c) => ({
        ...c,
        blocksLabel: t(`blocks.${c.blocks}`),
        due: c.dueOn ? humanDate(c.dueOn) : '',
      })),
      reports: (fund.report_schedule as { kind: string; dueAfter: string }[]).map((r) =>
        t(r.kind === 'final' ? 'letter.reportFinal' : 'letter.reportInterim', {
          after: this.pages.messages.has(`duration.${r.dueAfter}`) ? t(`duration.${r.dueAfter}`) : r.dueAfter,
        }),
      ),
      expires: app.state === 'offered' && app.offerExpiresAt ? day(app.offerExpiresAt) : '',
      accepted: accepted
        ? t('letter.acceptedBy', {
            name: accepted.data.signatoryName,
            role: accepted.data.signatoryRole,
            date: day(accepted.created_at),
          })
        : '',
    };
    return this.pages.render(req, reply, 'offer-letter', {
      title: t('letter.title'),
      letter,
      user,
      backLink: `/applications/${id}`,
    });
  }

  /** A file, for whoever may read its application (a download, never shown inline). */
  @Get('files/:fileId')
  async file(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fileId') fileId: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    await sendStoredFile(reply, await this.files.open(user.actor, fileId));
  }

  private async fundPage(
    req: PageRequest,
    reply: FastifyReply,
    slug: string,
    errs: Record<string, unknown>,
    status = 200,
  ) {
    const fund = (await this.funds.list()).find((f) => f.slug === slug);
    if (!fund) throw UseCaseError.notFound('The fund');
    const user = await this.pages.user(req);
    const organisations = user?.actor.role === 'applicant' ? await this.organisations.mine(user.actor) : [];
    const chooser = questionView(
      {
        id: 'organisationId',
        type: 'single_choice',
        label: this.pages.t('fund.whichOrganisation'),
        options: organisations.map((o) => ({ value: o.id, label: o.name })),
      },
      { organisationId: organisations.length === 1 ? organisations[0].id : '' },
      this.pages.messages,
      { error: (errs.fieldErrors as Record<string, string> | undefined)?.organisationId },
    );
    return this.pages.render(
      req,
      reply,
      'fund',
      {
        title: fund.name,
        user,
        fund: {
          ...fund,
          maximum: formatPounds(fund.maxPerOrganisationPence),
          areas: fund.areas.map((a) => a.name).join(', '),
          opensOn: fund.opensOn ? humanDate(fund.opensOn) : '',
          closesOn: fund.closesOn ? humanDate(fund.closesOn) : '',
        },
        organisations,
        questions: [chooser],
        backLink: '/',
        ...errs,
      },
      status,
    );
  }

  private async taskList(req: PageRequest, reply: FastifyReply, user: SignedIn, app: ApplicationView, notice?: string) {
    const form = await this.formOf(app);
    const files = await uploadedFiles(this.dataSource.manager, app.id);
    const problems = validateAnswers(form, app.answers, 'submit', { files }).problems;
    const sections = form.sections.map((s) => {
      const ids = new Set(s.questions.map((q) => q.id));
      const answered = s.questions.some((q) => app.answers[q.id] !== undefined);
      const status = !problems.some((p) => ids.has(p.questionId))
        ? 'completed'
        : answered
          ? 'in_progress'
          : 'not_started';
      return { id: s.id, title: s.title, status, statusLabel: this.pages.t(`taskList.${status}`) };
    });
    const completed = sections.filter((s) => s.status === 'completed').length;
    return this.pages.render(req, reply, 'task-list', {
      title: this.pages.t('taskList.title'),
      user,
      application: app,
      fundName: await this.fundName(app.fundId),
      sections,
      completed,
      allDone: completed === sections.length,
      notice,
      backLink: '/',
    });
  }

  private async sectionPage(
    req: PageRequest,
    reply: FastifyReply,
    actor: Actor,
    app: ApplicationView,
    form: FormDefinition,
    sectionId: string,
    fields: Record<string, string | string[]>,
    problems: AnswerProblem[],
    status = 200,
  ) {
    const index = form.sections.findIndex((s) => s.id === sectionId);
    const section = form.sections[index];
    const fileNames = await this.fileNames(actor, app.id);
    const byQuestion = new Map<string, string>();
    for (const p of problems) if (!byQuestion.has(p.questionId)) byQuestion.set(p.questionId, p.message);
    const questions = section.questions.map((q) =>
      questionView(q, fields, this.pages.messages, { error: byQuestion.get(q.id), def: form, files: fileNames }),
    );
    const errors = section.questions
      .filter((q) => byQuestion.has(q.id))
      .map((q) => ({ text: byQuestion.get(q.id)!, href: firstInputId(q) }));
    return this.pages.render(
      req,
      reply,
      'section',
      {
        title: section.title,
        application: app,
        section,
        number: index + 1,
        count: form.sections.length,
        questions,
        hasFile: section.questions.some((q) => q.type === 'file'),
        errors,
        backLink:
          index === 0 ? `/applications/${app.id}` : `/applications/${app.id}/sections/${form.sections[index - 1].id}`,
      },
      status,
    );
  }

  private async checkPage(
    req: PageRequest,
    reply: FastifyReply,
    actor: Actor,
    app: ApplicationView,
    errs: Record<string, unknown>,
    status = 200,
  ) {
    const form = await this.formOf(app);
    const summary = answerSummary(form, app.answers, await this.fileNames(actor, app.id));
    // Error links point at the answer's row on this page; each row links on to its question.
    if (Array.isArray(errs.errors)) {
      for (const e of errs.errors as { href: string }[]) {
        const m = /^section-([a-z0-9_]+)-([a-z0-9_]+)$/.exec(e.href);
        if (m) e.href = `answer-${m[2]}`;
      }
    }
    return this.pages.render(
      req,
      reply,
      'check-answers',
      {
        title: this.pages.t('check.title'),
        application: app,
        fundName: await this.fundName(app.fundId),
        summary,
        declaration: form.declaration,
        backLink: `/applications/${app.id}`,
        ...errs,
      },
      status,
    );
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
    const lastRequest = [...events].reverse().find((e) => e.action === 'request-information');
    const form = app.form ? await this.forms.get(app.form.key, app.form.version) : null;
    const timeline = [...events].reverse().map((e) => ({
      label: this.pages.t(`event.${e.action}`),
      when: new Date(e.at).toLocaleString('en-GB', {
        timeZone: 'Europe/London',
        dateStyle: 'long',
        timeStyle: 'short',
      }),
      reason: e.reason ?? '',
    }));
    return this.pages.render(
      req,
      reply,
      'application',
      {
        title: app.title || app.reference,
        user,
        application: app,
        fundName: await this.fundName(app.fundId),
        stateLabel: this.pages.t(`state.${app.state}`),
        nextSteps: this.pages.t(`next.${app.state}`),
        requested: app.requestedPence === null ? '' : formatPounds(app.requestedPence),
        awarded: app.awardedPence === null ? '' : formatPounds(app.awardedPence),
        informationRequest: app.allowedActions.includes('provide-information')
          ? (lastRequest?.message ?? this.pages.t('info.noQuestion'))
          : undefined,
        offer: app.allowedActions.includes('accept-offer') ? { conditions: app.conditions } : undefined,
        summary: form ? answerSummary(form, app.answers, await this.fileNames(user.actor, app.id)) : [],
        reports: app.reports
          .filter((r) => r.state !== 'cancelled')
          .map((r) => ({
            title: this.pages.t(`report.title.${r.kind}`),
            due: this.pages.t('report.due', { date: humanDate(r.dueOn) }),
            stateLabel: this.pages.t(`reportState.${r.state}`),
            href: `/applications/${app.id}/reports/${r.id}`,
            linkText: this.pages.t(
              (r.state === 'due' || r.state === 'returned') && app.state === 'active' ? 'report.link' : 'report.view',
            ),
          })),
        timeline,
        notice: undefined,
        backLink: '/',
        ...extra,
      },
      status,
    );
  }

  private async draftOf(actor: Actor, id: string): Promise<ApplicationView> {
    const app = await this.queries.get(actor, id);
    if (app.state !== 'draft' || actor.role !== 'applicant' || !app.form)
      throw new UseCaseError('not_found', 'not_a_draft', 'This application can no longer be changed');
    return app;
  }

  private async formOf(app: ApplicationView): Promise<FormDefinition> {
    if (!app.form) throw new UseCaseError('not_found', 'no_form', 'This fund has no application form');
    return this.forms.get(app.form.key, app.form.version);
  }

  private async fundName(fundId: string): Promise<string> {
    return (await this.funds.list()).find((f) => f.id === fundId)?.name ?? '';
  }

  /** Names of the application's files, through ApplicationFiles (which checks who may see them). */
  private async fileNames(actor: Actor, applicationId: string): Promise<Map<string, string>> {
    return new Map((await this.files.list(actor, applicationId)).map((f) => [f.id, f.name]));
  }
}

/** Where an error summary link should land: the first input of the question. */
