import { Queryable } from './accounts.store';

/** The statements of staff's second factor: the encrypted secret, its last time step, recovery codes. */

export interface SecondFactorRow {
  secret_encrypted: Buffer;
  last_time_step: string | null;
}

export async function findSecondFactor(db: Queryable, userId: string, lock = false): Promise<SecondFactorRow | null> {
  const [row] = await db.query(
    `SELECT secret_encrypted, last_time_step::text AS last_time_step FROM second_factors WHERE user_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  return row ?? null;
}

/** Enrols (or enrols again): a new secret, the time step of the code that confirmed it, new recovery codes. */
export async function replaceSecondFactor(
  db: Queryable,
  userId: string,
  secretEncrypted: Buffer,
  timeStep: number,
  codeHashes: string[],
): Promise<void> {
  await db.query(
    `INSERT INTO second_factors (user_id, secret_encrypted, last_time_step) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE
         SET secret_encrypted = excluded.secret_encrypted, last_time_step = excluded.last_time_step, enrolled_at = now()`,
    [userId, secretEncrypted, timeStep],
  );
  await db.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
  await db.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`, [userId, codeHashes]);
}

/** Records the time step a code was accepted for; false when a code of that step (or later) was already used. */
export async function advanceTimeStep(db: Queryable, userId: string, timeStep: number): Promise<boolean> {
  const [{ n }] = await db.query(
    `WITH moved AS (UPDATE second_factors SET last_time_step = $2
                     WHERE user_id = $1 AND (last_time_step IS NULL OR last_time_step < $2) RETURNING 1)
     SELECT count(*)::int AS n FROM moved`,
    [userId, timeStep],
  );
  return n === 1;
}

/** Uses up an unused recovery code; false when there is no such code or it was used already. */
export async function useRecoveryCode(db: Queryable, userId: string, codeHash: string): Promise<boolean> {
  const [{ n }] = await db.query(
    `WITH used AS (UPDATE recovery_codes SET used_at = now()
                    WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING 1)
     SELECT count(*)::int AS n FROM used`,
    [userId, codeHash],
  );
  return n === 1;
}

export async function countUnusedRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
    [userId],
  );
  return n;
}

/** Forgets the person's authenticator and recovery codes (an administrator's reset after a lost phone); false if none. */
export async function deleteSecondFactor(db: Queryable, userId: string): Promise<boolean> {
  await db.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
  const [, count] = await db.query(`DELETE FROM second_factors WHERE user_id = $1`, [userId]);
  return Number(count) > 0;
}
