import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnswerProblem, FormDefinition, formDefinitionProblems, UseCaseError, validateAnswers } from '@sg/domain';
import { ApplicationEntity, ApplicationFormEntity } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import {
  formVersionDefinition,
  insertDefinitionVersion,
  latestApplicationFormForFund,
  latestReportFormForFund as reportFormForFund,
  publishedContentSha,
  uploadedFiles,
} from './application-forms.store';

export { uploadedFiles };

type Queryable = Pick<EntityManager, 'query'>;

/**
 * Publishes one immutable version of a definition (a form, a rubric) into its table. The same
 * content again is a no-op; different content under a published version is refused, because what
 * was answered or scored against that version must keep meaning what it meant.
 */
export async function publishVersion(
  db: Queryable,
  table: 'application_forms' | 'rubrics',
  what: 'form' | 'rubric',
  def: { key: string; version: number; title: string },
  problems: string[],
): Promise<'published' | 'unchanged'> {
  if (problems.length > 0)
    throw new Error(`${what} ${def.key} v${def.version} cannot be published: ${problems.join('; ')}`);
  const sha = createHash('sha256').update(JSON.stringify(def)).digest('hex');
  if (await insertDefinitionVersion(db, table, def, sha)) return 'published';
  const existingSha = await publishedContentSha(db, table, def);
  if (existingSha !== sha) {
    throw new Error(
      `${what} ${def.key} v${def.version} is already published with different ${what === 'form' ? 'questions' : 'content'}: publish the change as version ${def.version + 1}`,
    );
  }
  return 'unchanged';
}

/** Publishes one form version (see publishVersion). */
export function publishForm(db: Queryable, def: FormDefinition): Promise<'published' | 'unchanged'> {
  return publishVersion(db, 'application_forms', 'form', def, formDefinitionProblems(def));
}

/** Publishes every definition file of a folder, in name order. */
export async function publishAllFrom<T>(
  db: Queryable,
  dir: string,
  publish: (db: Queryable, def: T) => Promise<string>,
): Promise<{ file: string; outcome: string }[]> {
  const out: { file: string; outcome: string }[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    out.push({ file, outcome: await publish(db, JSON.parse(readFileSync(join(dir, file), 'utf8'))) });
  }
  return out;
}

/** Publishes every config/forms/*.json; used by setup and by the test database. */
export function publishFormsFrom(db: Queryable, dir: string): Promise<{ file: string; outcome: string }[]> {
  return publishAllFrom(db, dir, publishForm);
}

export function defaultFormsDir(): string {
  return join(process.cwd(), 'config', 'forms');
}

@Injectable()
export class ApplicationForms {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(key: string, version: number, m: EntityManager = this.dataSource.manager): Promise<FormDefinition> {
    const row = await m.getRepository(ApplicationFormEntity).findOneBy({ key, version });
    if (!row) throw UseCaseError.notFound('The application form');
    return row.definition;
  }

  /** The newest version of a fund's monitoring report form, or null when it has none. */
  async latestReportFormForFund(fundId: string): Promise<FormDefinition | null> {
    return reportFormForFund(this.dataSource.manager, fundId);
  }

  /** The newest version of a fund's form, or null when the fund has no form (API-only funds). */
  async latestForFund(fundId: string, m: EntityManager = this.dataSource.manager): Promise<FormDefinition | null> {
    return latestApplicationFormForFund(m, fundId);
  }
}

/** Every problem that stops this application being submitted, checked as complete; [] for formless funds. */
export async function submissionProblems(m: Queryable, app: ApplicationEntity): Promise<AnswerProblem[]> {
  if (!app.formKey || !app.formVersion) return [];
  const definition = await formVersionDefinition(m, app.formKey, app.formVersion);
  return validateAnswers(definition, app.answers, 'submit', {
    files: await uploadedFiles(m, app.id),
  }).problems;
}
