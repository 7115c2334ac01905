import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnswerProblem, FormDefinition, formDefinitionProblems, UseCaseError, validateAnswers } from '@sg/domain';
import { ApplicationEntity, ApplicationFormEntity } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';

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
  const inserted: unknown[] = await db.query(
    `INSERT INTO ${table} (key, version, title, definition, content_sha256) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key, version) DO NOTHING RETURNING key`,
    [def.key, def.version, def.title, JSON.stringify(def), sha],
  );
  if (inserted.length > 0) return 'published';
  const [existing] = await db.query(`SELECT content_sha256 FROM ${table} WHERE key = $1 AND version = $2`, [
    def.key,
    def.version,
  ]);
  if (existing.content_sha256 !== sha) {
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
    const [row] = await this.dataSource.query(
      `SELECT af.definition FROM funds f JOIN application_forms af ON af.key = f.report_form_key WHERE f.id = $1 ORDER BY af.version DESC LIMIT 1`,
      [fundId],
    );
    return row ? (row.definition as FormDefinition) : null;
  }

  /** The newest version of a fund's form, or null when the fund has no form (API-only funds). */
  async latestForFund(fundId: string, m: EntityManager = this.dataSource.manager): Promise<FormDefinition | null> {
    const [row] = await m.query(
      `SELECT af.definition FROM funds f JOIN application_forms af ON af.key = f.application_form_key
       WHERE f.id = $1 ORDER BY af.version DESC LIMIT 1`,
      [fundId],
    );
    return row ? (row.definition as FormDefinition) : null;
  }
}

/** The application's uploaded files: id → the question each was uploaded for. */
export async function uploadedFiles(m: Queryable, applicationId: string): Promise<Map<string, string>> {
  const rows: { id: string; question_id: string }[] = await m.query(
    'SELECT id, question_id FROM application_files WHERE application_id = $1',
    [applicationId],
  );
  return new Map(rows.map((r) => [r.id, r.question_id]));
}

/** Every problem that stops this application being submitted, checked as complete; [] for formless funds. */
export async function submissionProblems(m: Queryable, app: ApplicationEntity): Promise<AnswerProblem[]> {
  if (!app.formKey || !app.formVersion) return [];
  const [row] = await m.query('SELECT definition FROM application_forms WHERE key = $1 AND version = $2', [
    app.formKey,
    app.formVersion,
  ]);
  return validateAnswers(row.definition as FormDefinition, app.answers, 'submit', {
    files: await uploadedFiles(m, app.id),
  }).problems;
}
