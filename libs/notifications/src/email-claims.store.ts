import { FormDefinition } from '@sg/domain';
import { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

/**
 * The claim, and in the same statement what an email about an application needs (nearly all of
 * them): the recipient, the application, its fund and organisation, the event, the reminder. The
 * answers and the form only for a receipt, which repeats them. Other kinds read their own rows.
 */
const CLAIM_SQL = `
  WITH claimed AS (
    UPDATE notifications SET status = 'sending', attempts = attempts + 1, claimed_at = now()
    WHERE id = ANY ($1::bigint[])
      AND (status IN ('pending', 'failed') OR (status = 'sending' AND claimed_at < now() - $2::integer * interval '1 millisecond'))
    RETURNING id, template, application_id, event_id, recipient_user_id, reminder_id, fund_alert_id
  )
  SELECT n.id, n.template, n.application_id, n.reminder_id, n.fund_alert_id,
         u.email, u.display_name, a.reference, a.title, a.requested_pence, a.awarded_pence, a.conditions,
         CASE WHEN n.template = 'application-received' THEN a.answers END AS answers, af.definition AS form,
         o.name AS organisation_name, f.name AS fund_name, e.reason, e.action, e.data,
         r.kind AS reminder_kind, to_char(r.due_on, 'YYYY-MM-DD') AS reminder_due_on, mr.kind AS report_kind, c.text AS condition_text
  FROM claimed n
  LEFT JOIN users u ON u.id = n.recipient_user_id
  LEFT JOIN applications a ON a.id = n.application_id
  LEFT JOIN organisations o ON o.id = a.organisation_id
  LEFT JOIN funds f ON f.id = a.fund_id
  LEFT JOIN events e ON e.id = n.event_id
  LEFT JOIN application_forms af ON n.template = 'application-received' AND af.key = a.form_key AND af.version = a.form_version
  LEFT JOIN reminders r ON r.id = n.reminder_id
  LEFT JOIN monitoring_reports mr ON mr.id = r.subject_id
  LEFT JOIN conditions c ON c.id = r.subject_id`;

/** A claimed notification row with what CLAIM_SQL joins to it (null where it does not apply). */
export interface Claimed {
  id: number;
  template: string;
  application_id: string | null;
  reminder_id: number | null;
  fund_alert_id: number | null;
  email: string | null;
  display_name: string | null;
  reference: string | null;
  title: string | null;
  requested_pence: number | null;
  awarded_pence: number | null;
  conditions: unknown;
  answers: Record<string, never> | null;
  form: FormDefinition | null;
  organisation_name: string | null;
  fund_name: string | null;
  reason: string | null;
  action: string | null;
  data: Record<string, unknown> | null;
  reminder_kind: string | null;
  reminder_due_on: string | null;
  report_kind: string | null;
  condition_text: string | null;
}

/** Claims the rows that are free to send (ids sorted, so concurrent claims lock in one order), with their email's data. */
export function claimNotifications(db: Db, ids: number[], leaseMs: number): Promise<Claimed[]> {
  return db.query(CLAIM_SQL, [ids, leaseMs]);
}

/** Marks sent rows, each with its Message-ID, in one statement (items sorted by id). */
export async function markNotificationsSent(db: Db, items: { id: number; messageId: string }[]): Promise<void> {
  await db.query(
    `UPDATE notifications n SET status = 'sent', sent_at = now(), message_id = v.message_id, last_error = NULL
       FROM unnest($1::bigint[], $2::text[]) AS v(id, message_id) WHERE n.id = v.id`,
    [items.map((i) => i.id), items.map((i) => i.messageId)],
  );
}

/** A row's status, or undefined when there is no such row. */
export async function notificationStatus(db: Db, notificationId: number): Promise<string | undefined> {
  const [row] = await db.query('SELECT status FROM notifications WHERE id = $1', [notificationId]);
  return row?.status;
}

export async function markNotificationFailed(db: Db, notificationId: number, reason: string): Promise<void> {
  await db.query(`UPDATE notifications SET status = 'failed', last_error = $2 WHERE id = $1`, [notificationId, reason]);
}
