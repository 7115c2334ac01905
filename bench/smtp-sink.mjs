// A real SMTP server in the bench process (smtp-server, as test/support/smtp-sink.ts uses), kept
// as cheap as possible: it reads the headers for the Message-ID, drains the rest and notes the
// moment it accepts each message, so the bench measures the sender, not the sink.
import { SMTPServer } from 'smtp-server';

export async function startSmtpSink() {
  const listeners = new Set();
  let accepted = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      let head = '';
      let messageId = null;
      let bytes = 0;
      stream.on('data', (chunk) => {
        bytes += chunk.length;
        if (messageId === null && head.length < 64 * 1024) {
          head += chunk.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          const m = /^message-id:\s*(<[^>\r\n]+>)/im.exec(end === -1 ? head : head.slice(0, end));
          if (m) messageId = m[1];
          else if (end !== -1) messageId = '';
        }
      });
      stream.on('end', () => {
        const at = Date.now();
        accepted++;
        for (const l of listeners) l({ messageId, at, bytes });
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address();
  return {
    port,
    url: `smtp://127.0.0.1:${port}?tls=off`,
    get accepted() {
      return accepted;
    },
    /** Calls `fn({ messageId, at, bytes })` for each accepted message until the returned function is called. */
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
