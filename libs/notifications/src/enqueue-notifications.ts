import { NotificationDraft } from '@sg/domain';
import { EntityManager } from 'typeorm';

export interface NotificationSubject {
  eventId: number;
  applicationId: string;
  fundId: string;
  organisationId: string;
  areaCode: string;
}

/** The users an audience means for one application: its organisation's members, or its officers. */
const RECIPIENTS: Record<NotificationDraft['audience'], string> = {
  applicant: `SELECT user_id AS id FROM organisation_members WHERE organisation_id = $1`,
  fund_officers: `
    SELECT u.id FROM users u
    JOIN fund_partners fp ON fp.partner_organisation_id = u.partner_organisation_id
    WHERE fp.fund_id = $1
      AND ((u.role = 'officer' AND fp.role = 'managing')
        OR (u.role = 'partner_officer' AND fp.role = 'partner' AND $2 = ANY (fp.areas)))`,
};

/**
 * Writes one notification row per recipient and one outbox row per notification, inside the
 * caller's transaction: nothing reaches the queue unless the transition commits, and the dedupe
 * key (event, template, recipient) makes a repeat of the same write a no-op.
 */
export async function enqueueNotifications(m: EntityManager, subject: NotificationSubject, drafts: readonly NotificationDraft[]): Promise<number> {
  let written = 0;
  for (const draft of drafts) {
    const params = draft.audience === 'applicant' ? [subject.organisationId] : [subject.fundId, subject.areaCode];
    const recipients: { id: string }[] = await m.query(RECIPIENTS[draft.audience], params);
    if (recipients.length === 0) continue;
    const rows: unknown[] = await m.query(
      `WITH n AS (
         INSERT INTO notifications (dedupe_key, template, application_id, event_id, recipient_user_id)
         SELECT $1::text || r.id, $2, $3, $5, r.id FROM unnest($4::uuid[]) AS r(id)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id)
       INSERT INTO outbox (queue, job_name, job_id, payload)
       SELECT 'notifications', 'send-email', 'email-' || n.id, jsonb_build_object('notificationId', n.id) FROM n
       RETURNING id`,
      [`${subject.eventId}:${draft.template}:`, draft.template, subject.applicationId, recipients.map((r) => r.id), subject.eventId],
    );
    written += rows.length;
  }
  return written;
}
