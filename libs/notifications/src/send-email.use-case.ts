import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@sg/config';
import { answerSummary, formatPounds, FormDefinition } from '@sg/domain';
import { EmailRenderer, MAIL_TRANSPORT, MailTransport } from '@sg/mail';
import { DataSource } from 'typeorm';
import { ACCOUNT_EMAILS, AccountEmail, mintOneTimeToken } from './account-emails';

export type SendOutcome = 'sent' | 'already_sent' | 'in_flight';

/** A notification id that does not exist can never succeed: the job must not be retried. */
export class NotificationMissingError extends Error {}

/** How long a claimed email may be in flight before another worker may take it over. */
const CLAIM_LEASE = '5 minutes';

/**
 * Sends one email for one notification row, at most once per row in normal running: the row is
 * claimed with a conditional UPDATE before sending and marked sent after, so a job that runs twice,
 * or on two workers at once, sends once. Only a worker dying between the SMTP server's acceptance
 * and the mark can repeat an email, after the lease; receiving servers see the same Message-ID.
 */
@Injectable()
export class SendEmailUseCase {
  private readonly logger = new Logger(SendEmailUseCase.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly renderer: EmailRenderer,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {}

  async execute(notificationId: number): Promise<SendOutcome> {
    const [claimed] = await this.dataSource.query(
      `UPDATE notifications SET status = 'sending', attempts = attempts + 1, claimed_at = now()
       WHERE id = $1 AND (status IN ('pending', 'failed') OR (status = 'sending' AND claimed_at < now() - interval '${CLAIM_LEASE}'))
       RETURNING id`,
      [notificationId],
    );
    if (!claimed || claimed.length === 0) {
      const [row] = await this.dataSource.query('SELECT status FROM notifications WHERE id = $1', [notificationId]);
      if (!row) throw new NotificationMissingError(`notification ${notificationId} does not exist`);
      return row.status === 'sent' ? 'already_sent' : 'in_flight';
    }
    try {
      const { email, rendered } = await this.compose(notificationId);
      const messageId = `<notification-${notificationId}@${new URL(this.config.PUBLIC_URL).hostname}>`;
      await this.transport.send({ to: email, messageId, ...rendered });
      await this.dataSource.query(`UPDATE notifications SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL WHERE id = $1`, [
        notificationId,
        messageId,
      ]);
      this.logger.log(`notification ${notificationId} sent`);
      return 'sent';
    } catch (err) {
      // Addresses must not reach logs or the table: keep the error's kind, drop anything like an address.
      const reason = String((err as Error).message ?? err).replace(/\S+@\S+/g, '<address>').slice(0, 500);
      await this.dataSource.query(`UPDATE notifications SET status = 'failed', last_error = $2 WHERE id = $1`, [notificationId, reason]);
      throw err;
    }
  }

  private async compose(notificationId: number): Promise<{ email: string; rendered: ReturnType<EmailRenderer['render']> }> {
    const [kind] = await this.dataSource.query('SELECT template, application_id FROM notifications WHERE id = $1', [notificationId]);
    if (kind.application_id === null) return this.composeAccountEmail(notificationId, kind.template as AccountEmail);
    const [n] = await this.dataSource.query(
      `SELECT n.template, n.application_id, u.email, u.display_name, a.reference, a.title, a.requested_pence, a.awarded_pence,
              a.conditions, a.answers, af.definition AS form, o.name AS organisation_name, f.name AS fund_name, e.reason, e.action, e.data
       FROM notifications n
       JOIN users u ON u.id = n.recipient_user_id
       JOIN applications a ON a.id = n.application_id
       JOIN organisations o ON o.id = a.organisation_id
       JOIN funds f ON f.id = a.fund_id
       JOIN events e ON e.id = n.event_id
       LEFT JOIN application_forms af ON af.key = a.form_key AND af.version = a.form_version
       WHERE n.id = $1`,
      [notificationId],
    );
    const data = (n.data ?? {}) as Record<string, unknown>;
    const amount = typeof data.amountPence === 'number' ? data.amountPence : typeof data.clawbackPence === 'number' && data.clawbackPence > 0 ? data.clawbackPence : null;
    const context = {
      recipient: { displayName: n.display_name },
      fund: { name: n.fund_name },
      organisation: { name: n.organisation_name },
      application: {
        reference: n.reference,
        title: n.title,
        requested: n.requested_pence === null ? '' : formatPounds(n.requested_pence),
        awarded: n.awarded_pence === null ? '' : formatPounds(n.awarded_pence),
        conditions: n.conditions,
      },
      event: {
        reason: n.reason ?? '',
        // The officer's questions go to the applicant; the applicant's answers stay in the portal.
        message: n.action === 'request-information' && typeof data.message === 'string' ? data.message : '',
        amount: amount === null ? '' : formatPounds(amount),
        reference: typeof data.reference === 'string' ? data.reference : '',
        // A signed-off condition: which one, and whether it was met or waived.
        condition: (n.action === 'meet-condition' || n.action === 'waive-condition') && typeof data.text === 'string' ? data.text : '',
        conditionWaived: n.action === 'waive-condition',
      },
      // The receipt repeats the answers so the applicant has a copy; file names only, never contents.
      answers: n.template === 'application-received' && n.form ? await this.answersFor(n.application_id, n.form, n.answers) : [],
      links: { application: `${this.publicUrl()}/applications/${n.application_id}` },
    };
    return { email: n.email as string, rendered: this.renderer.render(n.template, context) };
  }

  private async answersFor(applicationId: string, form: FormDefinition, answers: Record<string, never>) {
    const files: { id: string; original_name: string }[] = await this.dataSource.query('SELECT id, original_name FROM application_files WHERE application_id = $1', [
      applicationId,
    ]);
    return answerSummary(form, answers, new Map(files.map((f) => [f.id, f.original_name])));
  }

  private publicUrl(): string {
    return this.config.PUBLIC_URL.replace(/\/$/, '');
  }

  /**
   * Verification, reset, staff welcome and invitation emails. The link's token is minted here, at
   * send time, so that it exists nowhere but in the email (a resend after a lease mints another;
   * both stay single-use and expire).
   */
  private async composeAccountEmail(notificationId: number, template: AccountEmail) {
    const spec = ACCOUNT_EMAILS[template];
    if (!spec) throw new NotificationMissingError(`notification ${notificationId} has no application and no account template`);
    const [n] = await this.dataSource.query(
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
    const token = await mintOneTimeToken(this.dataSource, spec.kind, { userId: n.recipient_user_id, invitationId: n.invitation_id }, spec.lifetime);
    const context = {
      recipient: { displayName: n.display_name ?? '' },
      fund: { name: '' },
      organisation: { name: n.organisation_name ?? '' },
      inviter: { displayName: n.inviter_name ?? '' },
      lifetime: spec.lifetime,
      links: { action: `${this.publicUrl()}${spec.path}/${token}`, signIn: `${this.publicUrl()}/sign-in` },
    };
    return { email: n.email as string, rendered: this.renderer.render(template, context) };
  }
}
