import { ledgerBalances } from '../../libs/funds/src/fund-balances';
import { awaitingDecision, createFund, eventually } from '../support/funds';
import { FaultStack } from './support/fault-stack';
import { PrivatePostgres, sleep } from './support/services';

interface Op {
  app: string;
  action: 'approve' | 'reject' | 'decline-offer';
  attempts: number;
  statuses: (number | string)[];
}

/**
 * PostgreSQL restarted (`pg_ctl restart -m fast`) while officers decide and applicants decline:
 * every session is cut mid-transaction. The API and worker carry on without a restart once it is
 * back, and nothing is half-written: each application's version and state match its events, and
 * the fund's stored balances match its ledger. The machine's PostgreSQL is shared with other runs,
 * so this test restarts a private cluster of its own.
 */
describe('PostgreSQL restarted under load', () => {
  let pg: PrivatePostgres;
  let s: FaultStack;

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    s = await FaultStack.start({
      tag: 'pgrestart',
      serverUrl: pg.url('smallgrants_test_faults'),
      env: { EMAIL_CLAIM_LEASE_MS: '10000' },
    });
    await s.startApi();
    await s.startWorker();
  });

  afterAll(async () => {
    await s?.stop();
    await pg?.stop();
  });

  /** The test's own pool loses its sessions too: retry until PostgreSQL answers again. */
  const query = <T = any>(sql: string, params: unknown[] = []): Promise<T> =>
    eventually(
      () =>
        s.ds.query(sql, params).then(
          (rows: T) => ({ rows }),
          () => null,
        ),
      (r) => r !== null,
      30_000,
    ).then((r) => r!.rows);

  it('transitions in flight during the restart either commit whole or not at all, and the API recovers by itself', async () => {
    const applicant = await s.user('applicant');
    const fund = await createFund(s.asTestStack());
    const apps = await awaitingDecision(
      s.asTestStack(),
      fund.id,
      applicant,
      Array.from({ length: 150 }, () => ({ amountPence: 10_000 })),
    );
    const queue: Op[] = apps.map((a, i) => ({
      app: a.id,
      action: i % 3 === 2 ? 'reject' : 'approve',
      attempts: 0,
      statuses: [],
    }));
    const done: Op[] = [];
    const failed: Op[] = [];
    const run = async (op: Op) => {
      op.attempts++;
      const token = op.action === 'decline-offer' ? applicant.token : fund.panel.token;
      const body =
        op.action === 'approve' ? { amountPence: 10_000 } : op.action === 'reject' ? { reason: 'Not this round' } : {};
      const r = await s
        .request('POST', `/api/v1/applications/${op.app}/actions/${op.action}`, token, body)
        .catch((err: Error) => ({ status: err.name }));
      op.statuses.push(r.status);
      if (r.status === 200) {
        done.push(op);
        // Every other offer is declined by the applicant, which releases its money.
        if (op.action === 'approve' && apps.findIndex((a) => a.id === op.app) % 2 === 0)
          queue.push({ app: op.app, action: 'decline-offer', attempts: 0, statuses: [] });
      } else failed.push(op);
    };
    const loops = (n: number) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          for (let op = queue.shift(); op; op = queue.shift()) await run(op);
        }),
      );

    // Six clients at once; PostgreSQL restarts when a third of the work is done.
    const load = loops(6);
    await eventually(
      async () => done.length,
      (n) => n >= 50,
      60_000,
    );
    const t0 = Date.now();
    await pg.restart();
    const restartMs = Date.now() - t0;
    await load;
    const failedDuringRestart = failed.length;

    // The API recovers by itself: health and transitions answer again with the same processes.
    await eventually(
      () => s.request('GET', '/api/health', null),
      (r) => r.status === 200,
      30_000,
    );
    const recoveredMs = Date.now() - t0;
    // People retry what failed: a retry finds the transition done (409) if the failed attempt had committed.
    const retries = failed.splice(0);
    // While PostgreSQL was away the API said so (503, try again), never that it had failed (500).
    expect(
      retries.filter((op) => op.statuses[0] !== 503).map((op) => `${op.action}: ${op.statuses.join(', ')}`),
    ).toEqual([]);
    queue.push(...retries);
    await loops(3);
    // After the restart every request is answered: done (200), or already done by the attempt whose answer was lost (409).
    expect(
      retries
        .filter((op) => ![200, 409].includes(op.statuses.at(-1) as number))
        .map((op) => `${op.action}: ${op.statuses.join(', ')}`),
    ).toEqual([]);
    for (const op of retries.filter((o) => o.statuses.at(-1) === 409)) {
      expect(
        await query(`SELECT action FROM events WHERE application_id = $1 AND action = $2`, [op.app, op.action]),
      ).toEqual([{ action: op.action }]);
    }
    expect(s.apis[0].child.exitCode).toBeNull();
    expect(s.workers[0].child.exitCode).toBeNull();
    // Every decision was made: approved or rejected, and half the offers declined.
    const states: { state: string; n: number }[] = await query(
      `SELECT state, count(*)::int AS n FROM applications WHERE fund_id = $1 GROUP BY state ORDER BY state`,
      [fund.id],
    );
    expect(states.reduce((a, r) => a + r.n, 0)).toBe(150);
    expect(states.find((r) => r.state === 'awaiting_decision')).toBeUndefined();

    // Nothing half-written: each application's version counts its events and its state is its last event's.
    const mismatched = await query(
      `SELECT a.id, a.state, a.version, count(e.id)::int AS events, (array_agg(e.to_state ORDER BY e.id DESC))[1] AS last_to
       FROM applications a LEFT JOIN events e ON e.application_id = a.id
       WHERE a.fund_id = $1 GROUP BY a.id
       HAVING a.version <> 1 + count(e.id) OR a.state <> coalesce((array_agg(e.to_state ORDER BY e.id DESC))[1], 'awaiting_decision')`,
      [fund.id],
    );
    expect(mismatched).toEqual([]);
    // Every transition answered 200 is in the database, once.
    for (const op of done) {
      const [{ n }] = await query(`SELECT count(*)::int AS n FROM events WHERE application_id = $1 AND action = $2`, [
        op.app,
        op.action,
      ]);
      expect(n).toBe(1);
    }
    // The ledger: one commitment per offer and one release per declined offer, and the stored balances match it.
    const [{ offered, declined }] = await query(
      `SELECT count(*) FILTER (WHERE action = 'approve')::int AS offered, count(*) FILTER (WHERE action = 'decline-offer')::int AS declined FROM events WHERE fund_id = $1`,
      [fund.id],
    );
    const ledger: { kind: string; n: number; total: number }[] = await query(
      `SELECT kind, count(*)::int AS n, sum(amount_pence)::bigint AS total FROM ledger_entries WHERE fund_id = $1 AND kind IN ('commitment', 'release') GROUP BY kind ORDER BY kind`,
      [fund.id],
    );
    expect(ledger).toEqual([
      { kind: 'commitment', n: offered, total: offered * 10_000 },
      { kind: 'release', n: declined, total: declined * 10_000 },
    ]);
    const [stored] = await query(
      `SELECT allocated_pence AS "allocatedPence", fee_pence AS "feePence", committed_pence AS "committedPence", disbursed_pence AS "disbursedPence", returned_pence AS "returnedPence"
       FROM funds WHERE id = $1`,
      [fund.id],
    );
    expect(await ledgerBalances(s.ds.manager, fund.id)).toEqual(stored);
    expect(stored.committedPence).toBe((offered - declined) * 10_000);

    // No email lost: every notification was sent (the worker rode the restart out too).
    const rows = await s.allSent();
    await sleep(1000);
    const got = s.deliveries();
    expect(rows.filter((r) => !got.has(r.id))).toEqual([]);
    // And none twice: an email the server accepted while PostgreSQL was away is marked sent once it is back.
    const repeats = [...got.values()].filter((n) => n > 1).length;
    expect(repeats).toBe(0);
    expect(got.size).toBe(rows.length);
    console.log(
      `postgres restart: pg_ctl restart took ${restartMs} ms under 6 clients; ${failedDuringRestart} requests failed meanwhile ` +
        `(${[...new Set(retries.map((op) => op.statuses[0]))].join(', ')}); health back ${recoveredMs} ms after the restart began, same API and worker processes; ` +
        `${retries.length} retried (${retries.filter((op) => op.statuses.at(-1) === 409).length} had committed), ${offered} offers, ${declined} declined, ` +
        `${states.find((r) => r.state === 'rejected')?.n ?? 0} rejected; balances match the ledger; ${rows.length} emails sent, ${repeats} repeated`,
    );
  });
});
