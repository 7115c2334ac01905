import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** A person's latest conflict-of-interest declaration on an application, as SQL: true, false, or NULL if none. */
export const LATEST_DECLARATION = (application: string, user: string) =>
  `(SELECT cd.conflicted FROM conflict_declarations cd WHERE cd.application_id = ${application} AND cd.user_id = ${user}
     ORDER BY cd.id DESC LIMIT 1)`;

/** A person's latest conflict-of-interest declaration on an application: true, false, or null if none. */
export async function declaredConflict(m: Queryable, applicationId: string, userId: string): Promise<boolean | null> {
  const [row] = await m.query(`SELECT ${LATEST_DECLARATION('$1', '$2')} AS conflicted`, [applicationId, userId]);
  return row.conflicted ?? null;
}

/** A new declaration (the history keeps every earlier one), and whether it changed the person's last. */
export async function declareConflict(
  m: Queryable,
  applicationId: string,
  userId: string,
  conflicted: boolean,
  note: string | null,
): Promise<{ conflicted: boolean; declaredAt: string; previous: boolean | null }> {
  const [row] = await m.query(
    `WITH previous AS (SELECT ${LATEST_DECLARATION('$1', '$2')} AS conflicted)
     INSERT INTO conflict_declarations (application_id, user_id, conflicted, note)
     SELECT $1, $2, $3, $4 FROM previous
     RETURNING conflicted, declared_at, (SELECT conflicted FROM previous) AS previous`,
    [applicationId, userId, conflicted, note],
  );
  return {
    conflicted: row.conflicted,
    declaredAt: new Date(row.declared_at).toISOString(),
    previous: row.previous ?? null,
  };
}

/** Every declaration a person made on an application, newest first. */
export async function declarationHistory(
  m: Queryable,
  applicationId: string,
  userId: string,
): Promise<{ conflicted: boolean; declaredAt: string }[]> {
  const rows = await m.query(
    `SELECT conflicted, declared_at FROM conflict_declarations WHERE application_id = $1 AND user_id = $2 ORDER BY id DESC`,
    [applicationId, userId],
  );
  return rows.map((r: { conflicted: boolean; declared_at: string }) => ({
    conflicted: r.conflicted,
    declaredAt: new Date(r.declared_at).toISOString(),
  }));
}
