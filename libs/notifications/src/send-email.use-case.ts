import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@sg/config';
import { EmailRenderer, MAIL_TRANSPORT, MailTransport } from '@sg/mail';
import { DataSource } from 'typeorm';
import { AccountEmail } from './account-emails';
import { Batcher } from './batcher';
import { composeAccountEmail } from './compose/account-email';
import { composeApplicationEmail } from './compose/application-email';
import { ComposeContext, ComposedEmail } from './compose/composed-email';
import { composeDigestEmail, DIGEST_TEMPLATE } from './compose/digest-email';
import { composeFundAlertEmail } from './compose/fund-alert-email';
import {
  Claimed,
  claimNotifications,
  markNotificationFailed,
  markNotificationsSent,
  notificationStatus,
} from './email-claims.store';
import { NotificationMissingError } from './notification-missing.error';

export type SendOutcome = 'sent' | 'already_sent' | 'in_flight';

/**
 * Sends one email for one notification row, at most once per row in normal running: the row is
 * claimed with a conditional UPDATE before sending and marked sent after, so a job that runs twice,
 * or on two workers at once, sends once. Only a worker dying between the SMTP server's acceptance
 * and the mark can repeat an email, after the lease (EMAIL_CLAIM_LEASE_MS, five minutes by default);
 * receiving servers see the same Message-ID.
 *
 * A busy worker's concurrent jobs share statements: the claims that arrive while one claim runs go
 * together in the next (one UPDATE … RETURNING with the email's data, for all of them), and so do
 * the sent marks. A job still waits for its own row's claim and mark, so nothing else changes.
 */
@Injectable()
export class SendEmailUseCase {
  private readonly logger = new Logger(SendEmailUseCase.name);
  private readonly messageIdHost: string;

  private readonly claims = new Batcher<number, Claimed | undefined>(async (ids) => {
    const rows = await claimNotifications(
      this.dataSource,
      [...new Set(ids)].sort((a, b) => a - b),
      this.config.EMAIL_CLAIM_LEASE_MS,
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    // The same id twice in one batch (two jobs for one row) is claimed once: the other caller
    // finds it in flight, as it would had the two claims run one after the other.
    return ids.map((id) => {
      const row = byId.get(id);
      byId.delete(id);
      return row;
    });
  });

  private readonly marks = new Batcher<{ id: number; messageId: string }, void>(async (items) => {
    await markNotificationsSent(
      this.dataSource,
      [...items].sort((a, b) => a.id - b.id),
    );
    return items.map(() => undefined);
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly renderer: EmailRenderer,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {
    this.messageIdHost = new URL(config.PUBLIC_URL).hostname;
  }

  async execute(notificationId: number): Promise<SendOutcome> {
    const claimedBy = Date.now();
    const claimed = await this.claims.submit(notificationId);
    if (!claimed) {
      const status = await notificationStatus(this.dataSource, notificationId);
      if (status === undefined) throw new NotificationMissingError(`notification ${notificationId} does not exist`);
      return status === 'sent' ? 'already_sent' : 'in_flight';
    }
    const messageId = `<notification-${notificationId}@${this.messageIdHost}>`;
    try {
      const { email, rendered } = await this.compose(notificationId, claimed);
      await this.transport.send({ to: email, messageId, ...rendered });
    } catch (err) {
      // Addresses must not reach logs or the table: keep the error's kind, drop anything like an address.
      const reason = String((err as Error).message ?? err)
        .replace(/\S+@\S+/g, '<address>')
        .slice(0, 500);
      await markNotificationFailed(this.dataSource, notificationId, reason);
      throw err;
    }
    await this.markSent(notificationId, messageId, claimedBy + this.config.EMAIL_CLAIM_LEASE_MS - 1000);
    this.logger.log(`notification ${notificationId} sent`);
    return 'sent';
  }

  /**
   * The SMTP server has the email: from here a failure must never make it look unsent, or the retry
   * sends it again. (Before, a PostgreSQL restart at this moment marked it `failed`, and the retry
   * repeated the email.) So the mark is retried while PostgreSQL is unreachable, until shortly
   * before the claim's lease ends, when another worker may take the email over anyway.
   */
  private async markSent(notificationId: number, messageId: string, until: number): Promise<void> {
    for (let pause = 100; ; pause = Math.min(pause * 2, 5000)) {
      try {
        await this.marks.submit({ id: notificationId, messageId });
        return;
      } catch (err) {
        if (Date.now() + pause > until) throw err;
        this.logger.warn(
          `notification ${notificationId} was sent but could not be marked yet (${String((err as Error).message)
            .replace(/\S+@\S+/g, '<address>')
            .slice(0, 120)}); retrying`,
        );
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  /** Which family the email belongs to, and that family's composer. */
  private compose(notificationId: number, n: Claimed): Promise<ComposedEmail> {
    const ctx: ComposeContext = {
      db: this.dataSource,
      renderer: this.renderer,
      publicUrl: this.config.PUBLIC_URL.replace(/\/$/, ''),
    };
    if (n.fund_alert_id !== null) return composeFundAlertEmail(ctx, notificationId);
    if (n.template === DIGEST_TEMPLATE) return composeDigestEmail(ctx, notificationId);
    if (n.application_id === null) return composeAccountEmail(ctx, notificationId, n.template as AccountEmail);
    return composeApplicationEmail(ctx, notificationId, n);
  }
}
