import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@sg/config';
import { answerSummary, formatPounds, FormDefinition, humanDay, REMINDER_KINDS, ReminderKind } from '@sg/domain';
import { EmailRenderer, MAIL_TRANSPORT, MailTransport } from '@sg/mail';
import { DataSource } from 'typeorm';
import { ACCOUNT_EMAILS, AccountEmail, mintOneTimeToken } from './account-emails';

export type SendOutcome = 'sent' | 'already_sent' | 'in_flight';

/** A notification id that does not exist can never succeed: the job must not be retried. */
export class NotificationMissingError extends Error {}

export const DIGEST_TEMPLATE = 'daily-digest';

/** How each email an officer may receive reads as one line of the daily digest. */
const DIGEST_LINES: Record<string, string> = {
  'new-submission': 'New application submitted',
  'application-withdrawn': 'Application withdrawn',
  'information-provided': 'The applicant answered your question',
  'offer-accepted': 'Offer accepted',
  'offer-declined': 'Offer declined',
  'report-submitted': 'Monitoring report submitted',
  'reminder-report-escalation': 'Report still overdue after a reminder',
  'reminder-officer-service-level': 'Waiting past the service level',
  'budget-threshold': 'The fund reached an alert threshold',
  'budget-drift': 'The fund’s balances do not match its ledger',
};

/**
 * One statement for many callers ("group commit"): a call made while no statement of this batcher
 * is running starts one straight away (after the I/O callbacks already due, so that jobs whose
 * replies arrived together go together), so an idle worker adds no wait; the calls made while it
 * runs go together in the next. Each caller gets its own item's result, or the statement's error.
 */
export class Batcher<I, O> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 100,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        await new Promise((r) => setImmediate(r));
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.run(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(results[i]));
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

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
interface Claimed {
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
    const rows: Claimed[] = await this.dataSource.query(CLAIM_SQL, [
      [...new Set(ids)].sort((a, b) => a - b),
      this.config.EMAIL_CLAIM_LEASE_MS,
    ]);
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
    const sorted = [...items].sort((a, b) => a.id - b.id);
    await this.dataSource.query(
      `UPDATE notifications n SET status = 'sent', sent_at = now(), message_id = v.message_id, last_error = NULL
       FROM unnest($1::bigint[], $2::text[]) AS v(id, message_id) WHERE n.id = v.id`,
      [sorted.map((i) => i.id), sorted.map((i) => i.messageId)],
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
      const [row] = await this.dataSource.query('SELECT status FROM notifications WHERE id = $1', [notificationId]);
      if (!row) throw new NotificationMissingError(`notification ${notificationId} does not exist`);
      return row.status === 'sent' ? 'already_sent' : 'in_flight';
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
      await this.dataSource.query(`UPDATE notifications SET status = 'failed', last_error = $2 WHERE id = $1`, [
        notificationId,
        reason,
      ]);
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

  private async compose(
    notificationId: number,
    n: Claimed,
  ): Promise<{ email: string; rendered: ReturnType<EmailRenderer['render']> }> {
    if (n.fund_alert_id !== null) return this.composeFundAlert(notificationId);
    if (n.template === DIGEST_TEMPLATE) return this.composeDigest(notificationId);
    if (n.application_id === null) return this.composeAccountEmail(notificationId, n.template as AccountEmail);
    // The claim's joins are outer joins (they serve every kind): an application's email needs them all.
    if (!n.email || n.reference === null || n.fund_name === null || n.organisation_name === null) {
      throw new Error(`notification ${notificationId} is missing its recipient, application, fund or organisation`);
    }
    const reminder = n.reminder_id === null ? null : this.reminderContext(n);
    const data = (n.data ?? {}) as Record<string, unknown>;
    const amount =
      typeof data.amountPence === 'number'
        ? data.amountPence
        : typeof data.clawbackPence === 'number' && data.clawbackPence > 0
          ? data.clawbackPence
          : null;
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
        condition:
          (n.action === 'meet-condition' || n.action === 'waive-condition') && typeof data.text === 'string'
            ? data.text
            : '',
        conditionWaived: n.action === 'waive-condition',
      },
      // The receipt repeats the answers so the applicant has a copy; file names only, never contents.
      answers:
        n.template === 'application-received' && n.form
          ? await this.answersFor(n.application_id, n.form, n.answers ?? {})
          : [],
      reminder,
      links: {
        application: `${this.publicUrl()}/${reminder?.forOfficers ? 'desk/' : ''}applications/${n.application_id}`,
      },
    };
    return { email: n.email, rendered: this.renderer.render(n.template, context) };
  }

  /** A reminder's due date as people read it, and what it is about: which report, which condition. */
  private reminderContext(r: Claimed) {
    if (r.reminder_due_on === null) throw new Error(`reminder ${r.reminder_id} does not exist`);
    return {
      due: humanDay(r.reminder_due_on),
      reportKind: r.report_kind ?? '',
      condition: r.condition_text ?? '',
      forOfficers: REMINDER_KINDS[r.reminder_kind as ReminderKind]?.audience === 'fund_officers',
    };
  }

  /** A budget alert to the fund's managers: which threshold, how much is used and what is left. */
  private async composeFundAlert(notificationId: number) {
    const [n] = await this.dataSource.query(
      `SELECT n.template, u.email, u.display_name, f.id AS fund_id, f.name AS fund_name, fa.threshold_bp, fa.used_pence, fa.grantable_pence, fa.detail
       FROM notifications n JOIN users u ON u.id = n.recipient_user_id JOIN fund_alerts fa ON fa.id = n.fund_alert_id JOIN funds f ON f.id = fa.fund_id
       WHERE n.id = $1`,
      [notificationId],
    );
    const drift = Object.entries((n.detail?.drift ?? {}) as Record<string, number>).map(
      ([k, v]) => `${k} differs by ${formatPounds(v)}`,
    );
    const context = {
      recipient: { displayName: n.display_name },
      fund: { name: n.fund_name },
      alert: {
        threshold: n.threshold_bp === null ? '' : `${n.threshold_bp / 100}%`,
        used: formatPounds(n.used_pence),
        grantable: formatPounds(n.grantable_pence),
        available: formatPounds(n.grantable_pence - n.used_pence),
        detail: [...drift, ...((n.detail?.breaches ?? []) as string[])].join('; ') || 'see the log',
      },
      links: { application: `${this.publicUrl()}/desk/funds/${n.fund_id}/money` },
    };
    return { email: n.email as string, rendered: this.renderer.render(n.template, context) };
  }

  /** The officer's daily digest: one line per email held for them since the last one. */
  private async composeDigest(notificationId: number) {
    const [n] = await this.dataSource.query(
      `SELECT u.email, u.display_name FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE n.id = $1`,
      [notificationId],
    );
    const held: {
      template: string;
      application_id: string | null;
      reference: string | null;
      fund_id: string | null;
    }[] = await this.dataSource.query(
      `SELECT h.template, h.application_id, a.reference, fa.fund_id FROM notifications h
       LEFT JOIN applications a ON a.id = h.application_id LEFT JOIN fund_alerts fa ON fa.id = h.fund_alert_id
       WHERE h.digest_id = $1 ORDER BY h.id`,
      [notificationId],
    );
    const items = held.map((h) => ({
      summary: DIGEST_LINES[h.template] ?? h.template.replace(/-/g, ' '),
      reference: h.reference ?? '',
      link: h.application_id
        ? `${this.publicUrl()}/desk/applications/${h.application_id}`
        : h.fund_id
          ? `${this.publicUrl()}/desk/funds/${h.fund_id}/money`
          : '',
    }));
    const context = {
      recipient: { displayName: n.display_name },
      fund: { name: '' },
      digest: { items, count: items.length, one: items.length === 1 },
      links: { application: `${this.publicUrl()}/desk` },
    };
    return { email: n.email as string, rendered: this.renderer.render(DIGEST_TEMPLATE, context) };
  }

  private async answersFor(applicationId: string, form: FormDefinition, answers: Record<string, never>) {
    const files: { id: string; original_name: string }[] = await this.dataSource.query(
      'SELECT id, original_name FROM application_files WHERE application_id = $1',
      [applicationId],
    );
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
    if (!spec)
      throw new NotificationMissingError(`notification ${notificationId} has no application and no account template`);
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
    const token = await mintOneTimeToken(
      this.dataSource,
      spec.kind,
      { userId: n.recipient_user_id, invitationId: n.invitation_id },
      spec.lifetime,
    );
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
