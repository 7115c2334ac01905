import { Queue } from 'bullmq';
import { redisConnection } from '../../libs/jobs/src/jobs.module';
import { awaitingDecision, createFund, eventually } from '../support/funds';
import { FaultStack } from './support/fault-stack';

/**
 * SIGTERM (a deploy, a scale-down) reaches a worker while it is in the middle of sending: it takes
 * no new job, finishes every job it holds, marks their emails sent, and exits. Nothing is left
 * active or stalled, and the next worker sends the rest, each once.
 */
describe('graceful shutdown drains in-flight jobs', () => {
  let s: FaultStack;
  let queue: Queue;

  beforeAll(async () => {
    s = await FaultStack.start({ tag: 'drain' });
    await s.startApi();
    queue = new Queue('notifications', { connection: redisConnection(s.redis.url), prefix: s.prefix });
  });

  afterAll(async () => {
    await queue?.close();
    await s?.stop();
  });

  it('a worker told to stop while sending finishes what it holds; nothing is lost, stalled or sent twice', async () => {
    const applicant = await s.user('applicant');
    const fund = await createFund(s.asTestStack());
    const apps = await awaitingDecision(
      s.asTestStack(),
      fund.id,
      applicant,
      Array.from({ length: 40 }, () => ({ amountPence: 10_000 })),
    );
    const results = await Promise.all(
      apps.map((a) =>
        s.request('POST', `/api/v1/applications/${a.id}/actions/approve`, fund.panel.token, {
          amountPence: a.amountPence,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));

    // A slow mail server: each send takes 1.5 s, so the worker holds a full hand of jobs.
    s.sink.delayMs = 1500;
    const worker = await s.startWorker();
    const active = await eventually(
      () => queue.getActive(),
      (jobs) => jobs.filter((j) => j.name === 'send-email').length >= 10,
      30_000,
    );
    const holding = active.filter((j) => j.name === 'send-email').map((j) => Number(j.data.notificationId));
    const sentBefore = (await s.notifications()).filter((r) => r.status === 'sent').length;

    const t0 = Date.now();
    const how = await s.signalWorker(worker, 'SIGTERM');
    const drainMs = Date.now() - t0;
    expect(['SIGTERM', '0']).toContain(how);
    expect(worker.output()).not.toMatch(/pool was closed|Connection is closed|Missing lock/i);

    // Every job it held finished: its email arrived once and its row is sent; none left active or stalled.
    const rows = new Map((await s.notifications()).map((r) => [r.id, r.status]));
    const got = s.deliveries();
    expect(holding.filter((id) => rows.get(id) !== 'sent')).toEqual([]);
    expect(holding.filter((id) => got.get(id) !== 1)).toEqual([]);
    expect([...rows.values()].filter((st) => st === 'sending')).toEqual([]);
    const counts = await queue.getJobCounts('active', 'failed', 'waiting', 'delayed');
    expect(counts.active).toBe(0);
    expect(counts.failed).toBe(0);
    const left = [...rows.values()].filter((st) => st === 'pending').length;
    expect(left).toBeGreaterThan(0); // it stopped taking jobs: the rest wait for the next worker

    // The next worker sends the rest; every email went once, and no job ran twice.
    s.sink.delayMs = 0;
    await s.startWorker();
    const all = await s.allSent();
    await new Promise((r) => setTimeout(r, 1500));
    const final = s.deliveries();
    expect(all).toHaveLength(40);
    expect([...final.values()].every((n) => n === 1)).toBe(true);
    expect(final.size).toBe(40);
    expect(await s.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE attempts <> 1`)).toEqual([{ n: 0 }]);
    console.log(
      `graceful shutdown: SIGTERM with ${holding.length} emails in hand (${sentBefore} sent before); it finished them in ${drainMs} ms and exited (${how}); ` +
        `${left} waited for the next worker; 40 notifications, 40 emails, each once, each claimed once`,
    );
  });
});
