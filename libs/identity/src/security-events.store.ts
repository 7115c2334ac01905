import { SecurityEvent, SecurityEventKind } from '@sg/domain';
import { Queryable } from './accounts.store';

/** The statements of the security log: one insert, one filtered read. */

export async function insertSecurityEvent(db: Queryable, e: SecurityEvent): Promise<void> {
  await db.query(
    `INSERT INTO security_events (kind, actor_user_id, subject_user_id, organisation_id, address, detail)
       VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      e.kind,
      e.actorUserId,
      e.subjectUserId ?? null,
      e.organisationId ?? null,
      e.address ?? null,
      JSON.stringify(e.detail ?? {}),
    ],
  );
}

export interface SecurityEventFilter {
  kind?: SecurityEventKind;
  /** Events done by or to this user. */
  userId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Rows before this id (the next page, newest first). */
  beforeId?: string;
}

export interface SecurityEventRow {
  id: string;
  occurred_at: Date;
  kind: SecurityEventKind;
  actor_user_id: string | null;
  actor_name: string | null;
  subject_user_id: string | null;
  subject_name: string | null;
  organisation_id: string | null;
  address: string | null;
  detail: Record<string, unknown>;
}

export function selectSecurityEvents(db: Queryable, f: SecurityEventFilter): Promise<SecurityEventRow[]> {
  return db.query(
    `SELECT e.id::text AS id, e.occurred_at, e.kind, e.actor_user_id, a.display_name AS actor_name,
            e.subject_user_id, s.display_name AS subject_name, e.organisation_id, e.address, e.detail
       FROM security_events e
       LEFT JOIN users a ON a.id = e.actor_user_id
       LEFT JOIN users s ON s.id = e.subject_user_id
      WHERE ($1::text IS NULL OR e.kind = $1)
        AND ($2::uuid IS NULL OR e.actor_user_id = $2 OR e.subject_user_id = $2)
        AND ($3::timestamptz IS NULL OR e.occurred_at >= $3)
        AND ($4::timestamptz IS NULL OR e.occurred_at < $4)
        AND ($5::bigint IS NULL OR e.id < $5)
      ORDER BY e.id DESC
      LIMIT $6`,
    [f.kind ?? null, f.userId ?? null, f.from ?? null, f.to ?? null, f.beforeId ?? null, f.limit],
  );
}
