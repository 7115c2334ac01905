// The email baseline: nodemailer sending straight to the bench's SMTP server from one process,
// pooled as the product's transport is (5 connections), 16 in flight (the worker's concurrency).
// argv: smtpPort, mode ("burst" count | "paced" count perSecond), bytes of html+text per email.
// Each Message-ID carries the moment the send began, so the sink can time it.
const { createTransport } = require('nodemailer');

const [port, mode, countArg, bytesArg, perSecondArg] = process.argv.slice(2);
const count = Number(countArg);
const half = Math.max(100, Math.floor(Number(bytesArg) / 2));
const transporter = createTransport({
  host: '127.0.0.1',
  port: Number(port),
  secure: false,
  ignoreTLS: true,
  pool: true,
  maxConnections: 5,
});
const text = 'Dear applicant, '.repeat(Math.ceil(half / 16)).slice(0, half);
const html = `<p>${text}</p>`.slice(0, half);

let seq = 0;
const sendOne = () => {
  const n = seq++;
  return transporter.sendMail({
    from: 'Small Grants <grants@localhost>',
    to: 'amina@women-of-tees.example',
    subject: `Baseline ${n}`,
    text,
    html,
    messageId: `<baseline-${n}-${Date.now()}@bench>`,
  });
};

async function main() {
  const t0 = Date.now();
  if (mode === 'burst') {
    const loop = async () => {
      while (seq < count) await sendOne();
    };
    await Promise.all(Array.from({ length: 16 }, loop));
  } else {
    const every = 1000 / Number(perSecondArg);
    const sends = [];
    for (let i = 0; i < count; i++) {
      const wait = t0 + i * every - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sends.push(sendOne());
    }
    await Promise.all(sends);
  }
  transporter.close();
  process.stdout.write(JSON.stringify({ sent: seq, ms: Date.now() - t0 }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
