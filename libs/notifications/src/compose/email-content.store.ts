import { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

/** What a budget alert's email needs: its recipient, the fund and the alert's figures. */
export interface FundAlertContent {
  template: string;
  email: string;
  display_name: string | null;
  fund_id: string;
  fund_name: string;
  threshold_bp: number | null;
  used_pence: number;
  grantable_pence: number;
  detail: { drift?: Record<string, number>; breaches?: string[] } | null;
}

export async function fundAlertContent(db: Db, notificationId: number): Promise<FundAlertContent> {
  const [n] = await db.query(
    `SELECT n.template, u.email, u.display_name, f.id AS fund_id, f.name AS fund_name, fa.threshold_bp, fa.used_pence, fa.grantable_pence, fa.detail
       FROM notifications n JOIN users u ON u.id = n.recipient_user_id JOIN fund_alerts fa ON fa.id = n.fund_alert_id JOIN funds f ON f.id = fa.fund_id
       WHERE n.id = $1`,
    [notificationId],
  );
  return n;
}

export async function digestRecipient(
  db: Db,
  notificationId: number,
): Promise<{ email: string; display_name: string | null }> {
  const [n] = await db.query(
    `SELECT u.email, u.display_name FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE n.id = $1`,
    [notificationId],
  );
  return n;
}

/** The rows a digest took over, oldest first, with what their lines link to. */
export function digestedNotifications(
  db: Db,
  digestId: number,
): Promise<{ template: string; application_id: string | null; reference: string | null; fund_id: string | null }[]> {
  return db.query(
    `SELECT h.template, h.application_id, a.reference, fa.fund_id FROM notifications h
       LEFT JOIN applications a ON a.id = h.application_id LEFT JOIN fund_alerts fa ON fa.id = h.fund_alert_id
       WHERE h.digest_id = $1 ORDER BY h.id`,
    [digestId],
  );
}

/** The names of an application's files (a receipt lists names, never contents). */
export async function applicationFileNames(db: Db, applicationId: string): Promise<Map<string, string>> {
  const files: { id: string; original_name: string }[] = await db.query(
    'SELECT id, original_name FROM application_files WHERE application_id = $1',
    [applicationId],
  );
  return new Map(files.map((f) => [f.id, f.original_name]));
}

/** An account email's recipient: a user, or an invitation's address with its organisation and inviter. */
export interface AccountEmailContent {
  recipient_user_id: string | null;
  invitation_id: string | null;
  email: string;
  display_name: string | null;
  organisation_name: string | null;
  inviter_name: string | null;
}

export async function accountEmailContent(db: Db, notificationId: number): Promise<AccountEmailContent> {
  const [n] = await db.query(
    `SELECT n.recipient_user_id, n.invitation_id, coalesce(u.email, i.email) AS email, u.display_name,
              o.name AS organisation_name, inviter.display_name AS inviter_name
       FROM notifications n
       LEFT JOIN users u ON u.id = n.recipient_user_id
       LEFT JOIN organisation_invitations i ON i.id = n.invitation_id
       LEFT JOIN organisations o ON o.id = i.organisation_id
       LEFT JOIN users inviter ON inviter.id = i.invited_by
       WHERE n.id = $1`,
    [notificationId],
  );
  return n;
}
