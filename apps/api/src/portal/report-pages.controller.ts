import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ExecuteTransitionUseCase, MonitoringReports } from '@sg/applications';
import {
  AnswerProblem,
  answerFromFields,
  AnswerValue,
  can,
  fieldsFromAnswer,
  FormDefinition,
  humanDate,
  PostedFields,
  UseCaseError,
} from '@sg/domain';
import { SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { field, formFields, PageRequest, Pages } from './pages';
import { firstInputId, questionView } from './question-view';

type Fields = Record<string, string | string[]>;

/**
 * The grantee's monitoring report: the fund's report form on one page, saved as a draft as often
 * as needed and submitted once complete. Counts only; every text box says not to identify anyone.
 */
@ApiExcludeController()
@Public()
@Controller('applications/:id/reports/:reportId')
export class ReportPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly reports: MonitoringReports,
    private readonly transitions: ExecuteTransitionUseCase,
  ) {}

  @Get()
  async show(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @UuidParam('reportId') reportId: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const { report, form } = await this.reports.get(user.actor, id, reportId);
    const fields: Fields = {};
    if (form)
      for (const q of form.sections.flatMap((s) => s.questions))
        Object.assign(fields, fieldsOf(q, report.answers[q.id]));
    return this.page(
      req,
      reply,
      user,
      id,
      reportId,
      fields,
      [],
      200,
      (req.query as Record<string, string> | undefined)?.saved === '1',
    );
  }

  @Post()
  async save(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @UuidParam('reportId') reportId: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const { form } = await this.reports.get(user.actor, id, reportId);
    if (!form) throw UseCaseError.notFound('The report form');
    const fields = formFields(req) as Fields;
    const problems: AnswerProblem[] = [];
    const answers: Record<string, unknown> = {};
    for (const q of form.sections.flatMap((s) => s.questions)) {
      const read = answerFromFields(q, fields as PostedFields);
      if ('problem' in read) problems.push(read.problem);
      else answers[q.id] = 'value' in read ? read.value : null;
    }
    if (problems.length > 0) return this.page(req, reply, user, id, reportId, fields, problems, 400);
    try {
      await this.reports.saveAnswers(user.actor, id, reportId, answers);
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.kind !== 'invalid') throw err;
      return this.page(req, reply, user, id, reportId, fields, asProblems(err), 400);
    }
    if (field(fields, 'intent') !== 'submit')
      return this.pages.redirect(reply, `/applications/${id}/reports/${reportId}?saved=1`);
    if (field(fields, 'declaration') !== 'agreed') {
      const text = this.pages.t('report.declarationRequired');
      return this.page(
        req,
        reply,
        user,
        id,
        reportId,
        fields,
        [{ field: 'declaration', questionId: 'declaration', code: 'required', message: text }],
        400,
      );
    }
    try {
      await this.transitions.execute(user.actor, id, 'submit-report', { reportId });
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.code !== 'report_incomplete') throw err;
      return this.page(req, reply, user, id, reportId, fields, asProblems(err), 422);
    }
    return this.pages.redirect(reply, `/applications/${id}?reported=1`);
  }

  private async page(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    reportId: string,
    fields: Fields,
    problems: AnswerProblem[],
    status: number,
    saved = false,
  ) {
    const { report, form, summary, application } = await this.reports.get(user.actor, id, reportId);
    const open =
      (report.state === 'due' || report.state === 'returned') &&
      can(user.actor.role, 'apply-for-organisation') &&
      application.state === 'active';
    const byQuestion = new Map<string, string>();
    for (const p of problems) if (!byQuestion.has(p.questionId)) byQuestion.set(p.questionId, p.message);
    const sections = (form?.sections ?? []).map((s) => ({
      ...s,
      questions: s.questions.map((q) =>
        questionView(q, fields, this.pages.messages, { error: byQuestion.get(q.id), def: form as FormDefinition }),
      ),
    }));
    const questions = (form?.sections ?? []).flatMap((s) => s.questions);
    const errors = problems.map((p) => {
      const q = questions.find((x) => x.id === p.questionId);
      const cell = /^answers\.([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)$/.exec(p.field);
      return { text: p.message, href: cell ? `${cell[1]}-${cell[2]}-${cell[3]}` : q ? firstInputId(q) : p.questionId };
    });
    return this.pages.render(
      req,
      reply,
      'report',
      {
        title: this.pages.t(`report.title.${report.kind}`),
        user,
        report: { ...report, due: humanDate(report.dueOn), stateLabel: this.pages.t(`reportState.${report.state}`) },
        reference: application.reference,
        open,
        form,
        sections,
        summary,
        saved,
        errors,
        fieldErrors: byQuestion.has('declaration') ? { declaration: byQuestion.get('declaration') } : {},
        backLink: `/applications/${id}`,
      },
      status,
    );
  }
}

function asProblems(err: UseCaseError): AnswerProblem[] {
  return err.fields.map((f) => ({
    field: f.field,
    questionId: f.field.replace(/^answers\./, '').split(/[.[]/)[0],
    code: err.code,
    message: f.message,
  }));
}

function fieldsOf(q: Parameters<typeof fieldsFromAnswer>[0], value: unknown): Fields {
  return fieldsFromAnswer(q, value as AnswerValue | undefined);
}
