import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  AnswerValue,
  Binding,
  boundFields,
  can,
  FormDefinition,
  formatPounds,
  UseCaseError,
  validateAnswers,
} from '@sg/domain';
import { ApplicationEntity, FundEntity, OrganisationEntity, PG_UNIQUE_VIOLATION, pgErrorCode } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { ApplicationForms, uploadedFiles } from '../forms/application-forms';
import { ApplicationQueries } from './application-queries';
import { ApplicationsStore, DraftColumns } from './applications.store';
import { ApplicationView } from './application-view';

export interface DraftFields {
  title?: string;
  summary?: string;
  requestedPence?: number;
  activityRiskTier?: 'low' | 'medium' | 'high';
  /** Answers by question id; null clears an answer. Only for funds with a form. */
  answers?: Record<string, unknown>;
}

/**
 * Starting and editing a draft. Only the applying organisation's members may, and only in draft.
 * For a fund with a form, every save is checked by the form's validator: a draft may be
 * incomplete, but any invalid answer refuses the whole save (422, every problem listed) so that
 * nothing invalid is ever stored. Title, summary, amount and risk tier are the answers to the
 * questions bound to them; given directly, they are read as those answers.
 */
@Injectable()
export class DraftApplicationUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly queries: ApplicationQueries,
    private readonly forms: ApplicationForms,
    private readonly store: ApplicationsStore,
  ) {}

  async create(actor: Actor, fundId: string, organisationId: string, fields: DraftFields): Promise<ApplicationView> {
    if (!can(actor.role, 'apply-for-organisation'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only applicants start applications');
    return this.dataSource.transaction(async (m) => {
      const member = await this.store.isMember(m, organisationId, actor.userId);
      const org = member ? await m.getRepository(OrganisationEntity).findOneBy({ id: organisationId }) : null;
      if (!org)
        throw new UseCaseError('unprocessable', 'unknown_organisation', 'You are not a member of that organisation', [
          { field: 'organisationId', message: 'not one of your organisations' },
        ]);
      const fund = await m.getRepository(FundEntity).findOneBy({ id: fundId });
      if (!fund)
        throw new UseCaseError('unprocessable', 'unknown_fund', 'There is no such fund', [
          { field: 'fundId', message: 'no such fund' },
        ]);
      if (!fund.areas.some((a) => a.code === org.areaCode)) {
        throw new UseCaseError(
          'unprocessable',
          'area_not_in_fund',
          `${fund.name} does not cover your organisation's area`,
          [{ field: 'organisationId', message: 'the organisation is outside the fund’s areas' }],
        );
      }
      const form = await this.forms.latestForFund(fund.id, m);
      const columns = form ? this.checkedAnswers(form, {}, fields, new Map()) : this.formlessColumns(fields);
      if (columns.requestedPence !== undefined && columns.requestedPence !== null)
        this.checkAmount(fund, columns.requestedPence);
      for (let attempt = 0; ; attempt++) {
        try {
          const id = await this.store.insertDraft(m, {
            reference: newReference(),
            fundId: fund.id,
            organisationId: org.id,
            areaCode: org.areaCode,
            formKey: form?.key ?? null,
            formVersion: form?.version ?? null,
            createdBy: actor.userId,
            columns,
          });
          return this.queries.get(actor, id, m);
        } catch (err) {
          // A reference collision (1 in 4 billion) is retried with a new one.
          if (pgErrorCode(err) !== PG_UNIQUE_VIOLATION || attempt >= 3) throw err;
        }
      }
    });
  }

  async update(actor: Actor, id: string, fields: DraftFields, expectedVersion?: number): Promise<ApplicationView> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.loadVisible(m, actor, id, true);
      if (!can(actor.role, 'apply-for-organisation'))
        throw new UseCaseError('forbidden', 'role_not_permitted', 'Only the applicant edits an application');
      if (app.state !== 'draft')
        throw new UseCaseError('conflict', 'not_a_draft', `The application is ${app.state}; only drafts can be edited`);
      if (expectedVersion !== undefined && expectedVersion !== app.version) {
        throw new UseCaseError(
          'conflict',
          'stale_version',
          `The application has changed (version ${app.version}, not ${expectedVersion}); reload it and try again`,
        );
      }
      const form = app.formKey && app.formVersion ? await this.forms.get(app.formKey, app.formVersion, m) : null;
      const columns = form
        ? this.checkedAnswers(form, app.answers, fields, await uploadedFiles(m, app.id))
        : this.formlessColumns(fields);
      if (columns.requestedPence !== undefined && columns.requestedPence !== null) {
        this.checkAmount(await m.getRepository(FundEntity).findOneByOrFail({ id: app.fundId }), columns.requestedPence);
      }
      await this.save(m, app, columns, form !== null);
      return this.queries.get(actor, id, m);
    });
  }

  private checkedAnswers(
    form: FormDefinition,
    stored: Record<string, AnswerValue>,
    fields: DraftFields,
    files: Map<string, string>,
  ): Columns {
    const merged: Record<string, unknown> = { ...stored };
    const byBinding = new Map(
      form.sections
        .flatMap((s) => s.questions)
        .filter((q) => q.binds)
        .map((q) => [q.binds as Binding, q.id]),
    );
    for (const b of ['title', 'summary', 'requestedPence', 'activityRiskTier'] as const) {
      if (fields[b] === undefined) continue;
      const qid = byBinding.get(b);
      if (!qid)
        throw new UseCaseError('invalid', 'validation_failed', `This fund's form has no question for ${b}`, [
          { field: b, message: 'not used by this fund’s form' },
        ]);
      merged[qid] = fields[b];
    }
    for (const [qid, value] of Object.entries(fields.answers ?? {})) {
      if (value === null) delete merged[qid];
      else merged[qid] = value;
    }
    const { answers, problems } = validateAnswers(form, merged, 'draft', { files });
    if (problems.length > 0) {
      throw new UseCaseError(
        'invalid',
        'validation_failed',
        'Some answers are not valid; nothing was saved',
        problems.map((p) => ({ field: p.field, message: p.message })),
      );
    }
    const bound = boundFields(form, answers);
    return {
      answers,
      title: (bound.title as string | undefined) ?? '',
      summary: (bound.summary as string | undefined) ?? '',
      requestedPence: (bound.requestedPence as number | undefined) ?? null,
      activityRiskTier: (bound.activityRiskTier as Columns['activityRiskTier']) ?? null,
    };
  }

  /** A fund without a form (set up through the API only) takes the four fields as they are. */
  private formlessColumns(fields: DraftFields): Columns {
    if (fields.answers !== undefined) {
      throw new UseCaseError('invalid', 'validation_failed', 'This fund has no application form', [
        { field: 'answers', message: 'this fund takes no answers' },
      ]);
    }
    return {
      title: fields.title,
      summary: fields.summary,
      requestedPence: fields.requestedPence,
      activityRiskTier: fields.activityRiskTier,
    };
  }

  private async save(m: EntityManager, app: ApplicationEntity, c: Columns, withForm: boolean): Promise<void> {
    if (withForm) await this.store.saveAnswers(m, app.id, c);
    else await this.store.saveFields(m, app.id, c);
  }

  private checkAmount(fund: FundEntity, requested: number): void {
    if (requested > fund.maxPerOrganisationPence) {
      throw new UseCaseError(
        'unprocessable',
        'exceeds_organisation_cap',
        `This fund awards at most ${formatPounds(fund.maxPerOrganisationPence)} per organisation`,
        [{ field: 'requestedPence', message: `must be at most ${fund.maxPerOrganisationPence} pence` }],
      );
    }
  }
}

type Columns = DraftColumns;

/** A short reference people can read out on the phone: SG- and eight hex digits. */
function newReference(): string {
  return `SG-${randomBytes(4).toString('hex').toUpperCase()}`;
}
