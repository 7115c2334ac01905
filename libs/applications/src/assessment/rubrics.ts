import { join } from 'node:path';
import { Rubric, rubricProblems } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { publishAllFrom, publishVersion } from '../forms/application-forms';

export { latestRubricForFund } from './rubrics.store';

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
