import { Actor, ConditionBlocks } from '@sg/domain';
import { ApplicationEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import type { ConditionView } from './award-conditions';

type Queryable = Pick<EntityManager, 'query'>;

/** One tracked condition of an award, at its position. */
export async function insertCondition(
  m: Queryable,
  applicationId: string,
  position: number,
  c: { text: string; evidenceRequired: string; blocks: ConditionBlocks; dueOn: string; source: string | null },
): Promise<void> {
  await m.query(
    `INSERT INTO conditions (application_id, position, text, evidence_required, blocks, due_on, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [applicationId, position, c.text, c.evidenceRequired, c.blocks, c.dueOn, c.source],
  );
}

/** Marks an open condition met or waived; false if it was not open (or not there). */
export async function resolveCondition(
  m: Queryable,
  applicationId: string,
  conditionId: string,
  outcome: 'met' | 'waived',
  note: string,
  userId: string,
): Promise<boolean> {
  const [updated] = await m.query(
    `UPDATE conditions SET status = $3, resolution_note = $4, resolved_by = $5, resolved_at = now()
     WHERE id = $1 AND application_id = $2 AND status = 'open' RETURNING id`,
    [conditionId, applicationId, outcome, note, userId],
  );
  return !!updated && updated.length > 0;
}

/** A condition's status and what it holds up, or null when the application has no such condition. */
export async function conditionState(
  m: Queryable,
  applicationId: string,
  conditionId: string,
): Promise<{ status: string; blocks: ConditionBlocks } | null> {
  const [row] = await m.query('SELECT status, blocks FROM conditions WHERE id = $1 AND application_id = $2', [
    conditionId,
    applicationId,
  ]);
  return row ? { status: row.status, blocks: row.blocks } : null;
}

export async function conditionText(m: Queryable, conditionId: string): Promise<string> {
  const [{ text }] = await m.query('SELECT text FROM conditions WHERE id = $1', [conditionId]);
  return text;
}

/** A condition's sign-off on the application's record; answers the event's id. */
export async function recordConditionEvent(
  m: Queryable,
  app: ApplicationEntity,
  actor: Actor,
  e: { action: string; reason: string; data: Record<string, unknown> },
): Promise<number> {
  const [event] = await m.query(
    `INSERT INTO events (fund_id, application_id, action, actor_user_id, actor_role, reason, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [app.fundId, app.id, e.action, actor.userId, actor.role, e.reason, e.data],
  );
  return Number(event.id);
}

export async function conditionRows(m: Queryable, applicationId: string): Promise<ConditionView[]> {
  const rows: ConditionRow[] = await m.query(
    `SELECT c.*, to_char(c.due_on, 'YYYY-MM-DD') AS due, u.display_name FROM conditions c LEFT JOIN users u ON u.id = c.resolved_by
     WHERE c.application_id = $1 ORDER BY c.position`,
    [applicationId],
  );
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    evidenceRequired: r.evidence_required,
    blocks: r.blocks,
    dueOn: r.due,
    status: r.status,
    resolutionNote: r.resolution_note,
    resolvedBy: r.resolved_by ? { userId: r.resolved_by, displayName: r.display_name } : null,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
    source: r.source,
  }));
}

/** A condition row with its resolver's name, as PostgreSQL returns it. */
interface ConditionRow {
  id: string;
  text: string;
  evidence_required: string;
  blocks: ConditionView['blocks'];
  due: string | null;
  status: ConditionView['status'];
  resolution_note: string | null;
  resolved_by: string | null;
  display_name: string;
  resolved_at: Date | null;
  source: string | null;
}
