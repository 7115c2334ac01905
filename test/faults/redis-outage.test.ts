import { awaitingDecision, createFund, eventually } from '../support/funds';
import { FaultStack } from './support/fault-stack';
import { sleep } from './support/services';

/**
 * Redis dies (SIGKILL) while officers keep deciding. Transitions only write PostgreSQL (the
 * outbox), so they keep committing; the health check says Redis is down; once Redis is back on the
 * same port, the API's nudges and the worker's sweep relay what piled up, and every email goes once.
 */
describe('Redis stopped while transitions continue', () => {
  let s: FaultStack;

  beforeAll(async () => {
    s = await FaultStack.start({ tag: 'redis' });
    await s.startApi();
    await s.startWorker();
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('transitions commit while Redis is down, health reports it, and every email is sent exactly once after it returns', async () => {
    const applicant = await s.user('applicant');
    const fund = await createFund(s.asTestStack());
    const apps = await awaitingDecision(
      s.asTestStack(),
      fund.id,
      applicant,
      Array.from({ length: 30 }, () => ({ amountPence: 50_000 })),
    );
    const approve = (a: { id: string; amountPence: number }) =>
      s.request('POST', `/api/v1/applications/${a.id}/actions/approve`, fund.panel.token, {
        amountPence: a.amountPence,
      });
    const health = () => s.request('GET', '/api/health', null);
    const sentCount = async () => (await s.notifications()).filter((r) => r.status === 'sent').length;

    // Before: Redis up, and a slow mail server, so that jobs are queued and in flight when Redis dies.
    expect((await health()).status).toBe(200);
    s.sink.delayMs = 300;
    expect((await Promise.all(apps.slice(0, 10).map(approve))).map((r) => r.status)).toEqual(Array(10).fill(200));
    const sentBefore = await eventually(
      () => sentCount(),
      (n) => n >= 1,
    );

    // Redis dies mid-delivery. Officers carry on: ten more decisions, all at once.
    await s.redis.kill();
    s.sink.delayMs = 0;
    const started = Date.now();
    const during = await Promise.all(apps.slice(10, 20).map(approve));
    const duringMs = Date.now() - started;
    expect(during.map((r) => r.status)).toEqual(Array(10).fill(200));
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.error.redis).toEqual({ status: 'down', message: 'unreachable' });
    expect(down.body.info.database.status).toBe('up');
    // Committed and waiting in the outbox, not lost: their jobs cannot reach Redis yet.
    await sleep(1500);
    const [{ waiting }] = await s.ds.query(
      `SELECT count(*)::int AS waiting FROM outbox WHERE relayed_at IS NULL AND job_name = 'send-email'`,
    );
    expect(waiting).toBeGreaterThanOrEqual(10);
    expect(
      await s.ds.query(`SELECT count(*)::int AS n FROM events WHERE fund_id = $1 AND action = 'approve'`, [fund.id]),
    ).toEqual([{ n: 20 }]);

    // Redis comes back on the same port (with what it had written to its append-only file).
    await s.redis.start();
    expect((await Promise.all(apps.slice(20).map(approve))).map((r) => r.status)).toEqual(Array(10).fill(200));

    const rows = await s.allSent();
    await sleep(3000); // time for any repeat (a job re-run, a relay re-added) to arrive
    const got = s.deliveries();
    expect(rows).toHaveLength(30);
    expect([...got.keys()].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    expect(await s.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL`)).toEqual([{ n: 0 }]);
    const up = await health();
    expect(up.status).toBe(200);
    console.log(
      `redis outage: killed with ${sentBefore} of 10 emails sent; 10 approvals while Redis was down took ${duringMs} ms, all 200; health 503 (redis down, database up); ` +
        `${rows.length} notifications, ${got.size} distinct emails received, ${[...got.values()].reduce((a, n) => a + n, 0)} in all`,
    );
  });
});
