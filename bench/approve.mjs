// `approve` over HTTP against the same money transaction done as raw SQL by a minimal client (lock
// the fund row, insert the event, insert the ledger entry, update the fund's balance), at the same
// concurrency with the same driver: first spread over 100 funds, then all on one hot fund. The
// worker's queues are held meanwhile (the emails are measured on their own).
import pg from 'pg';
import { awaitingDecision, createFunds } from './prepare.mjs';
import { drive, fmt, percentile, row } from './lib.mjs';

const CONCURRENCY = 10;
const DURATION_MS = Number(process.env.BENCH_APPROVE_MS ?? 8000);
const WARMUP_MS = 1500;
const ROUNDS = 2;
const FUNDS = 100;

/** The minimal client's transaction: what `approve` must do to the money, and nothing else. */
async function rawApprove(pool, app, panelUserId) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT grantable_pence, committed_pence FROM funds WHERE id = $1 FOR UPDATE', [app.fundId]);
    const {
      rows: [event],
    } = await c.query(
      `INSERT INTO events (fund_id, application_id, action, from_state, to_state, actor_user_id, actor_role, data)
       VALUES ($1, $2, 'approve', 'awaiting_decision', 'offered', $3, 'panel_member', $4) RETURNING id`,
      [app.fundId, app.id, panelUserId, { amountPence: 1 }],
    );
    await c.query(
      `INSERT INTO ledger_entries (fund_id, application_id, organisation_id, event_id, kind, amount_pence) VALUES ($1, $2, $3, $4, 'commitment', 1)`,
      [app.fundId, app.id, app.organisationId, event.id],
    );
    await c.query(
      'UPDATE funds SET committed_pence = committed_pence + 1, version = version + 1, updated_at = now() WHERE id = $1',
      [app.fundId],
    );
    await c.query('COMMIT');
    return 200;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

function cycle(list) {
  let i = 0;
  return () => list[i++ % list.length];
}

function queue(list) {
  let i = 0;
  return () => (i < list.length ? list[i++] : null);
}

/** The raw client's task source: its own pool, cycling over the applications (the rows are only referenced). */
function rawTasks(ctx, apps) {
  const pool = new pg.Pool({ connectionString: ctx.dbUrl, max: CONCURRENCY });
  const nextApp = cycle(apps);
  return {
    next: () => {
      const app = nextApp();
      return () => rawApprove(pool, app, ctx.panelUserId);
    },
    close: () => pool.end(),
  };
}

/** The API's task source: each application approved once, over HTTP, as the panel member. */
function httpTasks(ctx, apps) {
  const nextApp = queue(apps);
  return {
    next: () => {
      const app = nextApp();
      if (!app) return null;
      return async () => {
        const r = await ctx.http.request('POST', `/api/v1/applications/${app.id}/actions/approve`, {
          token: ctx.tokens.panel,
          body: { amountPence: app.amountPence },
        });
        return r.status === 200 ? 200 : `${r.status} ${r.body?.code ?? ''}`;
      };
    },
    close: async () => {},
  };
}

/**
 * Warms both up, then alternates them (raw, API, raw, API…) in ROUNDS slices of the duration, so
 * that a neighbour's load on this shared machine falls on both alike; sums each side's slices.
 */
async function compare(raw, api) {
  await drive({ concurrency: CONCURRENCY, durationMs: WARMUP_MS, next: raw.next });
  await drive({ concurrency: CONCURRENCY, durationMs: WARMUP_MS, next: api.next });
  const sums = [emptySum(), emptySum()];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of [raw, api].entries())
      add(sums[i], await drive({ concurrency: CONCURRENCY, durationMs: DURATION_MS / ROUNDS, next: side.next }));
  }
  await Promise.all([raw.close(), api.close()]);
  return sums;
}

function emptySum() {
  return { approvals: 0, elapsedMs: 0, latencies: [], outcomes: {}, done: 0 };
}

function add(sum, r) {
  sum.approvals += r.outcomes['200'] ?? 0;
  sum.elapsedMs += r.elapsedMs;
  sum.done += r.done;
  sum.latencies.push(...r.latencies);
  for (const [k, v] of Object.entries(r.outcomes)) sum.outcomes[k] = (sum.outcomes[k] ?? 0) + v;
}

const rate = (r) => (r.approvals / r.elapsedMs) * 1000;
const describe = (r) => `${fmt.n(rate(r))}/s (p99 ${fmt.ms(percentile(r.latencies, 99))})`;
const others = (r) => Object.entries(r.outcomes).filter(([k]) => k !== '200');

export async function approveBenchmarks(ctx) {
  ctx.log('approve: creating funds and applications…');
  const [httpSpread, rawSpread, [httpHot], [rawHot]] = [
    await createFunds(ctx, 'spread-http', FUNDS),
    await createFunds(ctx, 'spread-raw', FUNDS),
    await createFunds(ctx, 'hot-http', 1),
    await createFunds(ctx, 'hot-raw', 1),
  ];
  // Enough for the run at several hundred approvals a second; £1 each, so no fund runs short.
  const spreadApps = await awaitingDecision(ctx, 'spread', httpSpread, 80, 100);
  const hotApps = await awaitingDecision(ctx, 'hot', [httpHot], 8000, 100);
  const rawSpreadApps = await awaitingDecision(ctx, 'rawspread', rawSpread, 5, 100);
  const rawHotApps = await awaitingDecision(ctx, 'rawhot', [rawHot], 50, 100);
  // For the last step: £4,500 requests from 40 organisations against what is left in the hot fund.
  const overrunApps = await awaitingDecision(ctx, 'overrun', [httpHot], 40, 450_000);
  await ctx.pg.query('ANALYZE');

  const rows = [];
  ctx.log(
    `approve spread over ${FUNDS} funds, concurrency ${CONCURRENCY}, ${DURATION_MS / 1000} s each side in ${ROUNDS} alternating rounds…`,
  );
  const [spreadRaw, spreadHttp] = await compare(rawTasks(ctx, rawSpreadApps), httpTasks(ctx, spreadApps));
  ctx.log(`  raw ${describe(spreadRaw)}; http ${describe(spreadHttp)} ${JSON.stringify(spreadHttp.outcomes)}`);
  const spreadRatio = rate(spreadHttp) / rate(spreadRaw);
  rows.push(
    row(
      `approve over HTTP, ${FUNDS} funds, ${CONCURRENCY} concurrent`,
      describe(spreadHttp),
      `raw SQL ${describe(spreadRaw)}`,
      fmt.pct(spreadRatio),
      [
        { name: '≥ 50% of raw', ok: spreadRatio >= 0.5 },
        ...(others(spreadHttp).length
          ? [{ name: `no failures (${JSON.stringify(Object.fromEntries(others(spreadHttp)))})`, ok: false }]
          : []),
      ],
    ),
  );

  ctx.log(`approve on one hot fund, concurrency ${CONCURRENCY}…`);
  const [hotRaw, hotHttp] = await compare(rawTasks(ctx, rawHotApps), httpTasks(ctx, hotApps));
  ctx.log(`  raw ${describe(hotRaw)}; http ${describe(hotHttp)} ${JSON.stringify(hotHttp.outcomes)}`);
  ctx.hotFundId = httpHot;

  // Then overrun it: 40 requests of £4,500 at once against what is left; the fund must not overspend.
  const overrun = await drive({
    concurrency: overrunApps.length,
    durationMs: 60_000,
    next: queue(
      overrunApps.map((app) => async () => {
        const r = await ctx.http.request('POST', `/api/v1/applications/${app.id}/actions/approve`, {
          token: ctx.tokens.panel,
          body: { amountPence: app.amountPence },
        });
        return r.status === 200 ? 200 : `${r.status} ${r.body?.code ?? ''}`;
      }),
    ),
  });
  const {
    rows: [money],
  } = await ctx.pg.query(
    `SELECT f.grantable_pence::bigint AS grantable, f.committed_pence::bigint AS committed,
            (SELECT coalesce(sum(amount_pence), 0) FROM ledger_entries WHERE fund_id = f.id AND kind = 'commitment')::bigint AS ledger
     FROM funds f WHERE f.id = $1`,
    [httpHot],
  );
  const grantable = Number(money.grantable);
  const committed = Number(money.committed);
  const overspend = Math.max(0, committed - grantable);
  const consistent = committed === Number(money.ledger);
  ctx.log(
    `  overrun: ${JSON.stringify(overrun.outcomes)}; committed £${committed / 100} of £${grantable / 100} grantable; ledger £${Number(money.ledger) / 100}`,
  );
  const hotRatio = rate(hotHttp) / rate(hotRaw);
  rows.push(
    row(
      `approve over HTTP, one hot fund, ${CONCURRENCY} concurrent`,
      describe(hotHttp),
      `raw SQL ${describe(hotRaw)}`,
      fmt.pct(hotRatio),
      [
        { name: '≥ 60% of raw', ok: hotRatio >= 0.6 },
        {
          name: `0 overspend (committed £${committed / 100} ≤ £${grantable / 100}, = ledger; overrun ${overrun.outcomes['200'] ?? 0} approved, ${overrun.done - (overrun.outcomes['200'] ?? 0)} refused)`,
          ok:
            overspend === 0 &&
            consistent &&
            (overrun.outcomes['200'] ?? 0) > 0 &&
            overrun.done > (overrun.outcomes['200'] ?? 0),
        },
      ],
    ),
  );
  return rows;
}
