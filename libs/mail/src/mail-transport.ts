import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per notification: receiving systems can drop a repeat, and tests can match it. */
  messageId: string;
}

export interface MailTransport {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
  readonly description: string;
}

/** SMTP through nodemailer, pooled so that a busy worker reuses connections. */
export function smtpTransport(url: string, from: string): MailTransport {
  const u = new URL(url);
  const transporter: Transporter = createTransport({
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
    secure: u.protocol === 'smtps:',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // Local and test servers speak plain SMTP; production uses smtps:// or a server that offers STARTTLS.
    ignoreTLS: u.searchParams.get('tls') === 'off',
    pool: true,
    maxConnections: 5,
  });
  return {
    description: `SMTP ${u.hostname}:${u.port}`,
    async send(e) {
      const info = await transporter.sendMail({
        from,
        to: e.to,
        subject: e.subject,
        html: e.html,
        text: e.text,
        messageId: e.messageId,
      });
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

/**
 * Development without an SMTP server: each email becomes an .eml file a person can open with
 * any mail program, in a folder named by MAIL_SINK_DIR.
 */
export function folderTransport(dir: string, from: string): MailTransport {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `folder ${folder}`,
    async send(e) {
      const info = await transporter.sendMail({
        from,
        to: e.to,
        subject: e.subject,
        html: e.html,
        text: e.text,
        messageId: e.messageId,
      });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${e.messageId.replace(/[^a-zA-Z0-9.-]/g, '_')}.eml`;
      writeFileSync(join(folder, name), info.message as Buffer);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}
