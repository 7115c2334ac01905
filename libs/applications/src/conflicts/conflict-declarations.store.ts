import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** A person's conflict-of-interest declaration on an application: true, false, or null if none. */
export async function declaredConflict(m: Queryable, applicationId: string, userId: string): Promise<boolean | null> {
  const [row] = await m.query(
    'SELECT conflicted FROM conflict_declarations WHERE application_id = $1 AND user_id = $2',
    [applicationId, userId],
  );
  return row ? row.conflicted === true : null;
}

export async function declareConflict(
  m: Queryable,
  applicationId: string,
  userId: string,
  conflicted: boolean,
  note: string | null,
): Promise<{ conflicted: boolean; declaredAt: string }> {
  const [row] = await m.query(
    `INSERT INTO conflict_declarations (application_id, user_id, conflicted, note) VALUES ($1, $2, $3, $4)
     ON CONFLICT (application_id, user_id) DO UPDATE SET conflicted = EXCLUDED.conflicted, note = EXCLUDED.note, declared_at = now()
     RETURNING conflicted, declared_at`,
    [applicationId, userId, conflicted, note],
  );
  return { conflicted: row.conflicted, declaredAt: new Date(row.declared_at).toISOString() };
}
