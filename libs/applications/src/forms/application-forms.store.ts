import { FormDefinition } from '@sg/domain';
import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** Inserts one definition version unless that version exists; true when it was inserted. */
export async function insertDefinitionVersion(
  db: Queryable,
  table: 'application_forms' | 'rubrics',
  def: { key: string; version: number; title: string },
  sha: string,
): Promise<boolean> {
  const inserted: unknown[] = await db.query(
    `INSERT INTO ${table} (key, version, title, definition, content_sha256) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key, version) DO NOTHING RETURNING key`,
    [def.key, def.version, def.title, JSON.stringify(def), sha],
  );
  return inserted.length > 0;
}

/** The content hash of a published definition version. */
export async function publishedContentSha(
  db: Queryable,
  table: 'application_forms' | 'rubrics',
  def: { key: string; version: number },
): Promise<string> {
  const [existing] = await db.query(`SELECT content_sha256 FROM ${table} WHERE key = $1 AND version = $2`, [
    def.key,
    def.version,
  ]);
  return existing.content_sha256;
}

/** The newest version of a fund's monitoring report form, or null when it has none. */
export async function latestReportFormForFund(db: Queryable, fundId: string): Promise<FormDefinition | null> {
  const [row] = await db.query(
    `SELECT af.definition FROM funds f JOIN application_forms af ON af.key = f.report_form_key WHERE f.id = $1 ORDER BY af.version DESC LIMIT 1`,
    [fundId],
  );
  return row ? (row.definition as FormDefinition) : null;
}

/** The newest version of a fund's application form, or null when the fund has none. */
export async function latestApplicationFormForFund(db: Queryable, fundId: string): Promise<FormDefinition | null> {
  const [row] = await db.query(
    `SELECT af.definition FROM funds f JOIN application_forms af ON af.key = f.application_form_key
       WHERE f.id = $1 ORDER BY af.version DESC LIMIT 1`,
    [fundId],
  );
  return row ? (row.definition as FormDefinition) : null;
}

/** The application's uploaded files: id → the question each was uploaded for. */
export async function uploadedFiles(m: Queryable, applicationId: string): Promise<Map<string, string>> {
  const rows: { id: string; question_id: string }[] = await m.query(
    'SELECT id, question_id FROM application_files WHERE application_id = $1',
    [applicationId],
  );
  return new Map(rows.map((r) => [r.id, r.question_id]));
}

/** The definition of a published form version; undefined when there is none. */
export async function formDefinition(
  m: Queryable,
  key: string,
  version: number | null,
): Promise<FormDefinition | undefined> {
  const [row] = await m.query('SELECT definition FROM application_forms WHERE key = $1 AND version = $2', [
    key,
    version,
  ]);
  return row?.definition as FormDefinition | undefined;
}

/** The definition of one published form version, which must exist. */
export async function formVersionDefinition(m: Queryable, key: string, version: number): Promise<FormDefinition> {
  const definition = await formDefinition(m, key, version);
  if (!definition) throw new Error(`form ${key} version ${version} is not published`);
  return definition;
}
