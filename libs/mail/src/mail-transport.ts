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

/** A mailbox as nodemailer takes it apart from any text: a name, and exactly one address. */
export interface MailAddress {
  name: string;
  address: string;
}

/**
 * MAIL_FROM ("Small Grants <grants@example.org>", or a bare address) as a name and an address.
 * Every address goes to nodemailer as such an object, never as a string it would parse: a
 * string can hold a list or a display name, an object holds one mailbox.
 */
export function fromAddress(from: string): MailAddress {
  const m = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(from);
  return m ? { name: m[1].replace(/^"(.*)"$/, '$1'), address: m[2] } : { name: '', address: from.trim() };
}

/** The message nodemailer is given: sender and recipient as objects (see fromAddress). */
function message(from: MailAddress, e: OutgoingEmail) {
  return {
    from,
    to: [{ name: '', address: e.to }],
    subject: e.subject,
    html: e.html,
    text: e.text,
    messageId: e.messageId,
  };
}

/** SMTP through nodemailer, pooled so that a busy worker reuses connections. */
export function smtpTransport(url: string, from: string): MailTransport {
  const sender = fromAddress(from);
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
      const info = await transporter.sendMail(message(sender, e));
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
  const sender = fromAddress(from);
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `folder ${folder}`,
    async send(e) {
      const info = await transporter.sendMail(message(sender, e));
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${e.messageId.replace(/[^a-zA-Z0-9.-]/g, '_')}.eml`;
      writeFileSync(join(folder, name), info.message as Buffer);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}
