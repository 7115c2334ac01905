import { EntityManager } from 'typeorm';
import { AccountEmail } from './account-emails';
import { sendEmailJobsSql } from './send-email-jobs';

const JOBS_SQL = sendEmailJobsSql('n');

/**
 * Queues an account email in the caller's transaction. The link's token is not made here: the
 * worker mints it when it renders the email, so the token exists only in the email, and the
 * notification row and job hold nothing that could be used to take over an account.
 */
export async function enqueueAccountEmail(
  m: EntityManager,
  email: { template: AccountEmail; dedupeKey: string; userId?: string; invitationId?: string },
): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH n AS (
       INSERT INTO notifications (dedupe_key, template, recipient_user_id, invitation_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id)
     ${JOBS_SQL}`,
    [email.dedupeKey, email.template, email.userId ?? null, email.invitationId ?? null],
  );
  return rows.length > 0;
}
