import { NotificationDraft } from '@sg/domain';
import { EntityManager } from 'typeorm';

export interface NotificationSubject {
  eventId: number;
  applicationId: string;
  fundId: string;
  organisationId: string;
  areaCode: string;
}

/** A recipient, and whether they asked for a daily digest instead of an email per event. */
export interface Recipient {
  id: string;
  digest: boolean;
}

/**
 * The users an audience means for one application: its organisation's members (minus those who
 * switched optional reminders off, when the email is optional), or the officers responsible for
 * the fund and the application's area.
 */
export async function audienceRecipients(
  m: Pick<EntityManager, 'query'>,
  audience: NotificationDraft['audience'],
  subject: { fundId: string; organisationId: string; areaCode: string },
  options: { optional?: boolean } = {},
): Promise<Recipient[]> {
  if (audience === 'applicant') {
    return m.query(
      `SELECT u.id, false AS digest FROM organisation_members om JOIN users u ON u.id = om.user_id
       WHERE om.organisation_id = $1 AND (u.optional_reminders OR NOT $2::boolean) ORDER BY u.id`,
      [subject.organisationId, options.optional === true],
    );
  }
  return m.query(
    `SELECT u.id, u.daily_digest AS digest FROM users u
     JOIN fund_partners fp ON fp.partner_organisation_id = u.partner_organisation_id
     WHERE fp.fund_id = $1
       AND ((u.role = 'officer' AND fp.role = 'managing')
         OR (u.role = 'partner_officer' AND fp.role = 'partner' AND $2 = ANY (fp.areas)))
     ORDER BY u.id`,
    [subject.fundId, subject.areaCode],
  );
}

/** The managing VDA's officers: who hears about the fund as a whole (budget alerts). */
export function fundManagers(m: Pick<EntityManager, 'query'>, fundId: string): Promise<Recipient[]> {
  return m.query(
    `SELECT u.id, u.daily_digest AS digest FROM users u
     JOIN fund_partners fp ON fp.partner_organisation_id = u.partner_organisation_id AND fp.role = 'managing'
     WHERE fp.fund_id = $1 AND u.role = 'officer' ORDER BY u.id`,
    [fundId],
  );
}

export interface NotificationRows {
  template: string;
  /** Unique per notification once the recipient's id is appended: a repeat of the same write is a no-op. */
  dedupePrefix: string;
  recipients: readonly Recipient[];
  applicationId?: string | null;
  eventId?: number | null;
  reminderId?: number | null;
  fundAlertId?: number | null;
}

/**
 * Writes one notification row per recipient and, for those who get an email per event, one outbox
 * row each, inside the caller's transaction: nothing reaches the queue unless the caller commits.
 * A digest reader's row is held for the daily digest instead.
 */
export async function writeNotifications(m: Pick<EntityManager, 'query'>, n: NotificationRows): Promise<number> {
  if (n.recipients.length === 0) return 0;
  const rows: unknown[] = await m.query(
    `WITH n AS (
       INSERT INTO notifications (dedupe_key, template, application_id, event_id, reminder_id, fund_alert_id, recipient_user_id, status)
       SELECT $1::text || r.id, $2, $3, $4, $5, $6, r.id, CASE WHEN r.digest THEN 'held' ELSE 'pending' END
       FROM unnest($7::uuid[], $8::boolean[]) AS r(id, digest)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id, status)
     INSERT INTO outbox (queue, job_name, job_id, payload)
     SELECT 'notifications', 'send-email', 'email-' || n.id, jsonb_build_object('notificationId', n.id) FROM n WHERE n.status = 'pending'
     RETURNING id`,
    [
      n.dedupePrefix,
      n.template,
      n.applicationId ?? null,
      n.eventId ?? null,
      n.reminderId ?? null,
      n.fundAlertId ?? null,
      n.recipients.map((r) => r.id),
      n.recipients.map((r) => r.digest),
    ],
  );
  return rows.length;
}

/**
 * The notifications of a transition: per draft, its audience's rows, keyed by (event, template,
 * recipient) so that writing them twice is harmless.
 */
export async function enqueueNotifications(m: EntityManager, subject: NotificationSubject, drafts: readonly NotificationDraft[]): Promise<number> {
  let written = 0;
  for (const draft of drafts) {
    const recipients = await audienceRecipients(m, draft.audience, subject);
    written += await writeNotifications(m, {
      template: draft.template,
      dedupePrefix: `${subject.eventId}:${draft.template}:`,
      recipients,
      applicationId: subject.applicationId,
      eventId: subject.eventId,
    });
  }
  return written;
}
