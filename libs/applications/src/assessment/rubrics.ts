import { join } from 'node:path';
import { Rubric, rubricProblems } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { publishAllFrom, publishVersion } from '../forms/application-forms';

type Queryable = Pick<EntityManager, 'query'>;

/** Publishes one rubric version; immutable like forms (see publishVersion). */
export function publishRubric(db: Queryable, rubric: Rubric): Promise<'published' | 'unchanged'> {
  return publishVersion(db, 'rubrics', 'rubric', rubric, rubricProblems(rubric));
}

export function publishRubricsFrom(
  db: Queryable,
  dir: string = join(process.cwd(), 'config', 'rubrics'),
): Promise<{ file: string; outcome: string }[]> {
  return publishAllFrom(db, dir, publishRubric);
}

/** The newest version of the fund's rubric, or null when the fund assesses without one. */
export async function latestRubricForFund(db: Queryable, fundId: string): Promise<Rubric | null> {
  const [row] = await db.query(
    `SELECT r.definition FROM funds f JOIN rubrics r ON r.key = f.rubric_key WHERE f.id = $1 ORDER BY r.version DESC LIMIT 1`,
    [fundId],
  );
  return row ? (row.definition as Rubric) : null;
}
