import { awaitingDecision, createFund, eventually } from '../support/funds';
import { FaultStack } from './support/fault-stack';
import { sleep } from './support/services';

const LEASE_MS = 5000;

/**
 * 300 emails queued, the worker SIGKILLed while it is sending them, and a new worker started. The
 * killed worker's jobs come back once their BullMQ locks expire (stalled-job check, 30 s); the
 * emails it had claimed wait out the claim lease (EMAIL_CLAIM_LEASE_MS, 5 s here instead of five
 * minutes) and are sent by the new worker. No email is lost. The only repeat SMTP allows is an
 * email the server accepted in the instant before the dead worker could mark it sent: the test
 * finds those exactly (claimed, not marked, already received when the worker died) and checks that
 * nothing else arrives twice.
 */
describe('a worker SIGKILLed mid-batch and restarted', () => {
  let s: FaultStack;

  beforeAll(async () => {
    s = await FaultStack.start({ tag: 'killworker', env: { EMAIL_CLAIM_LEASE_MS: String(LEASE_MS) } });
    await s.startApi();
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('sends every one of 300 notifications, none lost, and none twice but those SMTP accepted as the worker died', async () => {
    const applicant = await s.user('applicant');
    const fund = await createFund(s.asTestStack());
    const apps = await awaitingDecision(
      s.asTestStack(),
      fund.id,
      applicant,
      Array.from({ length: 300 }, () => ({ amountPence: 5_000 })),
    );
    // 300 approvals, ten at a time, with no worker running: 300 emails wait in the queue.
    for (let i = 0; i < apps.length; i += 10) {
      const batch = await Promise.all(
        apps.slice(i, i + 10).map((a) =>
          s.request('POST', `/api/v1/applications/${a.id}/actions/approve`, fund.panel.token, {
            amountPence: a.amountPence,
          }),
        ),
      );
      expect(batch.map((r) => r.status)).toEqual(Array(batch.length).fill(200));
    }
    const queued = await s.notifications();
    expect(queued).toHaveLength(300);
    expect(queued.every((r) => r.status === 'pending')).toBe(true);

    // The worker starts sending; it is killed (no shutdown, no cleanup) a third of the way through,
    // at a moment read from the database, not from the mail server, so that the kill is not timed
    // to land just after an acceptance.
    const first = await s.startWorker();
    await eventually(
      async () => (await s.notifications()).filter((r) => r.status === 'sent').length,
      (n) => n >= 100,
      60_000,
    );
    expect(await s.signalWorker(first, 'SIGKILL')).toBe('SIGKILL');
    await sleep(500); // the sink finishes whatever was mid-transfer
    const atKill = await s.notifications();
    const receivedAtKill = s.deliveries();
    const inFlight = atKill.filter((r) => r.status === 'sending');
    const sentAtKill = atKill.filter((r) => r.status === 'sent').length;
    // Accepted by the SMTP server but never marked sent: the one window SMTP leaves (see architecture.md).
    const window = new Set(inFlight.filter((r) => receivedAtKill.has(r.id)).map((r) => r.id));
    expect(sentAtKill).toBeGreaterThanOrEqual(90);
    expect(sentAtKill).toBeLessThan(300);
    expect(inFlight.length).toBeGreaterThan(0); // killed mid-batch: it held claimed emails

    const started = Date.now();
    await s.startWorker();
    const rows = await s.allSent(150_000);
    const recoveredMs = Date.now() - started;
    await sleep(2000); // time for any repeat to arrive
    const got = s.deliveries();

    expect(rows).toHaveLength(300);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // None lost: every notification's email arrived.
    expect(rows.filter((r) => !got.has(r.id))).toEqual([]);
    // None twice, except the ones caught in the window, which went at most twice (same Message-ID).
    const repeated = [...got.entries()].filter(([, n]) => n > 1);
    expect(repeated.filter(([id]) => !window.has(id))).toEqual([]);
    expect(repeated.every(([, n]) => n === 2)).toBe(true);
    expect(got.size).toBe(300);
    console.log(
      `worker SIGKILL: killed with ${sentAtKill} of 300 sent and ${inFlight.length} claimed in flight ` +
        `(${window.size} of them already accepted by SMTP, so sent again after the lease); the new worker finished in ${recoveredMs} ms; ` +
        `300 notifications, ${got.size} distinct emails, ${[...got.values()].reduce((a, n) => a + n, 0)} in all, ${repeated.length} repeated`,
    );
  });
});
