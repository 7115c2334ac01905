import { FormDefinition } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { formDefinition as publishedFormDefinition } from '../forms/application-forms.store';

type Queryable = Pick<EntityManager, 'query'>;

/** The newest version of the fund's report form, for a report scheduled now; null without one. */
export async function reportFormFor(m: Queryable, fundId: string): Promise<{ key: string; version: number } | null> {
  const [row] = await m.query(
    `SELECT af.key, af.version FROM funds f JOIN application_forms af ON af.key = f.report_form_key WHERE f.id = $1 ORDER BY af.version DESC LIMIT 1`,
    [fundId],
  );
  return row ? { key: row.key, version: row.version } : null;
}

/** One published version of a form's definition; null if there is none. */
export async function formDefinition(m: Queryable, key: string, version: number): Promise<FormDefinition | null> {
  return (await publishedFormDefinition(m, key, version)) ?? null;
}

export async function saveReportAnswers(
  m: Queryable,
  reportId: string,
  answers: Record<string, unknown>,
): Promise<void> {
  await m.query('UPDATE monitoring_reports SET answers = $2 WHERE id = $1', [reportId, answers]);
}
