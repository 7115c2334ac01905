import { NotificationDraft, rolesWith } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { sendEmailJobsSql } from './send-email-jobs';

const PENDING_JOBS_SQL = sendEmailJobsSql(`n WHERE n.status = 'pending'`);
const PENDING_JOBS_IN_ORDER_SQL = sendEmailJobsSql(`n WHERE n.status = 'pending' ORDER BY n.id`);

/** A recipient, and whether they asked for a daily digest instead of an email per event. */
export interface Recipient {
  id: string;
  digest: boolean;
}

/** The managing VDA's officers: who hears about the fund as a whole (budget alerts). */
export function fundManagers(m: Pick<EntityManager, 'query'>, fundId: string): Promise<Recipient[]> {
  return m.query(
    `SELECT u.id, u.daily_digest AS digest FROM users u
     JOIN fund_partners fp ON fp.partner_organisation_id = u.partner_organisation_id AND fp.role = 'managing'
     WHERE fp.fund_id = $1 AND u.role = ANY ($2::text[]) ORDER BY u.id`,
    [fundId, rolesWith('oversee-managed-funds')],
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
     ${PENDING_JOBS_SQL}`,
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

export interface AudienceNotification {
  template: string;
  /** As in NotificationRows: the recipient's id is appended. */
  dedupePrefix: string;
  audience: NotificationDraft['audience'];
  /** Leaves out applicants who switched optional reminders off. */
  optional?: boolean;
  fundId: string;
  organisationId: string;
  areaCode: string;
  applicationId?: string | null;
  eventId?: number | null;
  reminderId?: number | null;
  fundAlertId?: number | null;
}

/**
 * The notifications of many (audience, subject) pairs in one statement: the audience is the
 * subject's organisation's members (minus those who switched optional reminders off, when the email
 * is optional), or the officers responsible for the fund and the subject's area; digest readers'
 * rows are held. A transition's drafts and a reminder scan's hundreds of subjects each take one
 * round trip. Returns how many emails were queued.
 */
export async function writeAudienceNotifications(
  m: Pick<EntityManager, 'query'>,
  items: readonly AudienceNotification[],
): Promise<number> {
  if (items.length === 0) return 0;
  const column = <T>(pick: (n: AudienceNotification) => T) => items.map(pick);
  const rows: unknown[] = await m.query(
    `WITH s AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::bigint[], $10::bigint[], $11::bigint[])
         WITH ORDINALITY AS s(template, dedupe_prefix, audience, optional, fund_id, organisation_id, area_code, application_id, event_id, reminder_id, fund_alert_id, ord)),
     r AS (
       SELECT s.*, u.id AS user_id, false AS digest
       FROM s JOIN organisation_members om ON om.organisation_id = s.organisation_id JOIN users u ON u.id = om.user_id
       WHERE s.audience = 'applicant' AND (u.optional_reminders OR NOT s.optional)
       UNION ALL
       SELECT s.*, u.id, u.daily_digest
       FROM s JOIN fund_partners fp ON fp.fund_id = s.fund_id JOIN users u ON u.partner_organisation_id = fp.partner_organisation_id
       WHERE s.audience <> 'applicant'
         AND ((u.role = ANY ($12::text[]) AND fp.role = 'managing')
           OR (u.role = ANY ($13::text[]) AND fp.role = 'partner' AND s.area_code = ANY (fp.areas)))),
     n AS (
       INSERT INTO notifications (dedupe_key, template, application_id, event_id, reminder_id, fund_alert_id, recipient_user_id, status)
       SELECT r.dedupe_prefix || r.user_id, r.template, r.application_id, r.event_id, r.reminder_id, r.fund_alert_id, r.user_id,
              CASE WHEN r.digest THEN 'held' ELSE 'pending' END
       FROM r ORDER BY r.ord, r.user_id
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id, status)
     ${PENDING_JOBS_IN_ORDER_SQL}`,
    [
      column((n) => n.template),
      column((n) => n.dedupePrefix),
      column((n) => n.audience),
      column((n) => n.optional === true),
      column((n) => n.fundId),
      column((n) => n.organisationId),
      column((n) => n.areaCode),
      column((n) => n.applicationId ?? null),
      column((n) => n.eventId ?? null),
      column((n) => n.reminderId ?? null),
      column((n) => n.fundAlertId ?? null),
      // The staff who hear about an application: the managing VDA's overseers, and the partner's
      // officers in its area (the same scope capabilities that let them see it).
      rolesWith('oversee-managed-funds'),
      rolesWith('view-applications-in-area'),
    ],
  );
  return rows.length;
}
