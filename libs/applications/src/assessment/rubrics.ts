import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rubric, rubricProblems } from '@sg/domain';
import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * Publishes one rubric version; like forms, a published version never changes, because the
 * assessments scored against it must keep meaning what they meant.
 */
export async function publishRubric(db: Queryable, rubric: Rubric): Promise<'published' | 'unchanged'> {
  const problems = rubricProblems(rubric);
  if (problems.length > 0) throw new Error(`rubric ${rubric.key} v${rubric.version} cannot be published: ${problems.join('; ')}`);
  const sha = createHash('sha256').update(JSON.stringify(rubric)).digest('hex');
  const inserted: unknown[] = await db.query(
    `INSERT INTO rubrics (key, version, title, definition, content_sha256) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key, version) DO NOTHING RETURNING key`,
    [rubric.key, rubric.version, rubric.title, JSON.stringify(rubric), sha],
  );
  if (inserted.length > 0) return 'published';
  const [existing] = await db.query('SELECT content_sha256 FROM rubrics WHERE key = $1 AND version = $2', [rubric.key, rubric.version]);
  if (existing.content_sha256 !== sha) {
    throw new Error(`rubric ${rubric.key} v${rubric.version} is already published with different content: publish the change as version ${rubric.version + 1}`);
  }
  return 'unchanged';
}

export async function publishRubricsFrom(db: Queryable, dir: string = join(process.cwd(), 'config', 'rubrics')): Promise<{ file: string; outcome: string }[]> {
  const out: { file: string; outcome: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    out.push({ file, outcome: await publishRubric(db, JSON.parse(readFileSync(join(dir, file), 'utf8'))) });
  }
  return out;
}

/** The newest version of the fund's rubric, or null when the fund assesses without one. */
export async function latestRubricForFund(db: Queryable, fundId: string): Promise<Rubric | null> {
  const [row] = await db.query(
    `SELECT r.definition FROM funds f JOIN rubrics r ON r.key = f.rubric_key WHERE f.id = $1 ORDER BY r.version DESC LIMIT 1`,
    [fundId],
  );
  return row ? (row.definition as Rubric) : null;
}
