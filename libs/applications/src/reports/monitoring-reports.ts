import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  answerSummary,
  AnswerValue,
  boundFields,
  can,
  FormDefinition,
  SummarySection,
  UseCaseError,
  validateAnswers,
} from '@sg/domain';
import { ApplicationEntity, MonitoringReportEntity } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import * as store from './monitoring-reports.store';

type Queryable = Pick<EntityManager, 'query'>;
const NO_FILES = { files: new Map<string, string>() };
const OPEN = ['due', 'returned'];

export interface ReportView {
  id: string;
  applicationId: string;
  kind: 'interim' | 'final';
  state: string;
  dueOn: string;
  /** The officer's comments when the report was returned. */
  comments: string | null;
  timesReturned: number;
  form: { key: string; version: number } | null;
  answers: Record<string, unknown>;
  submittedAt: string | null;
  reviewedAt: string | null;
}

export { reportFormFor } from './monitoring-reports.store';

async function formOf(
  m: Queryable,
  report: Pick<MonitoringReportEntity, 'formKey' | 'formVersion'>,
): Promise<FormDefinition | null> {
  if (!report.formKey || !report.formVersion) return null;
  return store.formDefinition(m, report.formKey, report.formVersion);
}

/**
 * What submitting a report needs from its form: every problem with the stored answers and, when
 * there are none, the narrative and spend to date the lifecycle machine records.
 */
export async function reportSubmission(
  m: Queryable,
  report: MonitoringReportEntity,
): Promise<{ problems: { field: string; message: string }[]; narrative?: string; spendToDatePence?: number } | null> {
  const form = await formOf(m, report);
  if (!form) return null;
  const { answers, problems } = validateAnswers(form, report.answers, 'submit', NO_FILES);
  const bound = boundFields(form, answers);
  return {
    problems: problems.map((p) => ({ field: p.field, message: p.message })),
    narrative: bound.narrative as string,
    spendToDatePence: bound.spendToDatePence as number,
  };
}

function toView(r: MonitoringReportEntity): ReportView {
  return {
    id: r.id,
    applicationId: r.applicationId,
    kind: r.kind,
    state: r.state,
    dueOn: r.dueOn,
    comments: r.state === 'returned' ? r.comments : null,
    timesReturned: r.timesReturned,
    form: r.formKey && r.formVersion ? { key: r.formKey, version: r.formVersion } : null,
    answers: r.answers,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
  };
}

/**
 * Monitoring reports as the grantee fills them in: answers are saved as a draft (every given
 * answer valid, the rest may wait) while the report is due or was returned, and the lifecycle's
 * `submit-report` checks the whole form. Anyone who can read the grant can read its reports.
 */
@Injectable()
export class MonitoringReports {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
  ) {}

  async list(actor: Actor, applicationId: string): Promise<ReportView[]> {
    const m = this.dataSource.manager;
    await this.access.loadVisible(m, actor, applicationId);
    const rows = await m
      .getRepository(MonitoringReportEntity)
      .find({ where: { applicationId }, order: { dueOn: 'ASC' } });
    return rows.map(toView);
  }

  /** One report with its form and its answers as a person reads them. */
  async get(
    actor: Actor,
    applicationId: string,
    reportId: string,
  ): Promise<{
    report: ReportView;
    form: FormDefinition | null;
    summary: SummarySection[];
    application: ApplicationEntity;
  }> {
    const m = this.dataSource.manager;
    const application = await this.access.loadVisible(m, actor, applicationId);
    const row = await this.find(m, applicationId, reportId);
    const form = await formOf(m, row);
    return {
      report: toView(row),
      form,
      summary: form ? answerSummary(form, row.answers as Record<string, AnswerValue>) : [],
      application,
    };
  }

  async saveAnswers(
    actor: Actor,
    applicationId: string,
    reportId: string,
    given: Record<string, unknown>,
  ): Promise<ReportView> {
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new UseCaseError('invalid', 'validation_failed', 'answers must be an object of question id to answer', [
        { field: 'answers', message: 'an object' },
      ]);
    }
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.loadVisible(m, actor, applicationId, true);
      if (!can(actor.role, 'apply-for-organisation'))
        throw new UseCaseError('forbidden', 'role_not_permitted', 'Only the grantee fills in a report');
      const row = await this.find(m, applicationId, reportId);
      if (!OPEN.includes(row.state) || !['active', 'suspended'].includes(app.state)) {
        throw new UseCaseError(
          'conflict',
          'report_not_open',
          `This report is ${row.state}; it can be changed only while it is due or returned`,
        );
      }
      const form = await formOf(m, row);
      if (!form)
        throw new UseCaseError(
          'unprocessable',
          'no_report_form',
          'This fund has no report form: send the narrative and spend with submit-report',
        );
      // Merge, then check the whole: a save never stores an invalid answer, and a blank clears one.
      const merged: Record<string, unknown> = { ...row.answers, ...given };
      for (const [k, v] of Object.entries(given)) if (v === null) delete merged[k];
      const { answers, problems } = validateAnswers(form, merged, 'draft', NO_FILES);
      if (problems.length > 0)
        throw new UseCaseError(
          'invalid',
          'validation_failed',
          'Some answers need correcting',
          problems.map((p) => ({ field: p.field, message: p.message })),
        );
      await store.saveReportAnswers(m, row.id, answers);
      return toView({ ...row, answers });
    });
  }

  private async find(m: EntityManager, applicationId: string, reportId: string): Promise<MonitoringReportEntity> {
    const row = /^[0-9a-f-]{36}$/i.test(reportId)
      ? await m.getRepository(MonitoringReportEntity).findOneBy({ id: reportId, applicationId })
      : null;
    if (!row) throw UseCaseError.notFound('The report');
    return row;
  }
}
