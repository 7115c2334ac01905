import { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

/** Everyone with notifications held for a digest. */
export async function usersWithHeldNotifications(db: Db): Promise<string[]> {
  const users: { recipient_user_id: string }[] = await db.query(
    `SELECT DISTINCT recipient_user_id FROM notifications WHERE status = 'held'`,
  );
  return users.map((u) => u.recipient_user_id);
}

/** The day's digest notification, or undefined when the day's key is already taken. */
export async function insertDigestNotification(
  m: Db,
  digest: { dedupeKey: string; template: string; userId: string },
): Promise<{ id: number } | undefined> {
  const [row] = await m.query(
    `INSERT INTO notifications (dedupe_key, template, recipient_user_id) VALUES ($1, $2, $3) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [digest.dedupeKey, digest.template, digest.userId],
  );
  return row;
}

/** Moves the user's held rows into the digest (held → digested); returns how many it took. */
export async function takeHeldNotifications(m: Db, userId: string, digestId: number): Promise<number> {
  const [, taken] = await m.query(
    `UPDATE notifications SET status = 'digested', digest_id = $2 WHERE recipient_user_id = $1 AND status = 'held'`,
    [userId, digestId],
  );
  return taken;
}

export async function deleteNotification(m: Db, id: number): Promise<void> {
  await m.query(`DELETE FROM notifications WHERE id = $1`, [id]);
}
