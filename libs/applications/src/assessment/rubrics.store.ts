import { Rubric } from '@sg/domain';
import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** The newest version of the fund's rubric, or null when the fund assesses without one. */
export async function latestRubricForFund(db: Queryable, fundId: string): Promise<Rubric | null> {
  const [row] = await db.query(
    `SELECT r.definition FROM funds f JOIN rubrics r ON r.key = f.rubric_key WHERE f.id = $1 ORDER BY r.version DESC LIMIT 1`,
    [fundId],
  );
  return row ? (row.definition as Rubric) : null;
}
