import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/**
 * A real SMTP server, started once per test run by the global setup: emails arrive over TCP exactly
 * as in production, and each is written as JSON to a folder that every test process reads through
 * ReceivedMail. One sink for the run matters because any test process's worker may send any
 * suite's email (they share the database's outbox).
 */
export class SmtpSink {
  private server?: SMTPServer;
  port = 0;
  /** Holds each sender's MAIL FROM this long before answering: a slow server, so that sends stay in flight. */
  delayMs = 0;

  constructor(private readonly folder: string) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onMailFrom: (_address, _session, callback) => {
        if (this.delayMs > 0) setTimeout(() => callback(), this.delayMs);
        else callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail: ParsedMail) => {
            const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
              a.value.map((v) => v.address ?? ''),
            );
            const received: ReceivedEmail = {
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
            };
            // Written under another name and renamed: a reader in another process never sees half a file.
            const name = `${process.hrtime.bigint()}-${randomBytes(3).toString('hex')}`;
            writeFileSync(join(this.folder, `${name}.partial`), JSON.stringify(received));
            renameSync(join(this.folder, `${name}.partial`), join(this.folder, `${name}.json`));
            callback();
          })
          .catch(callback);
      },
    });
    // A sender that dies mid-conversation (a worker killed in a test) resets its connection: not the sink's fault.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The emails the run's SMTP sink has received so far, read from its folder. */
export class ReceivedMail {
  constructor(private readonly folder: string) {}

  get received(): ReceivedEmail[] {
    return readdirSync(this.folder)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(this.folder, f), 'utf8')) as ReceivedEmail);
  }

  to(address: string): ReceivedEmail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  async waitFor(predicate: (all: ReceivedEmail[]) => boolean, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const all = this.received;
      if (predicate(all)) return;
      if (Date.now() > until) throw new Error(`timed out waiting for emails; ${all.length} received in this run`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
