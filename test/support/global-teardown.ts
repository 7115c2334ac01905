import type { SmtpSink } from './smtp-sink';

/** Stops the run's SMTP sink (both projects share it; the first teardown closes it). */
export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __smallGrantsSmtp?: SmtpSink };
  const sink = g.__smallGrantsSmtp;
  g.__smallGrantsSmtp = undefined;
  await sink?.stop();
}
