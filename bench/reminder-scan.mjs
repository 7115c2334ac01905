// The reminder scan's cost must follow what is due, not what exists: 10k, 100k and 1M grants in
// the bench database (generate_series, then VACUUM ANALYZE), the same 1,000 of them with a report due in
// the "due soon" window, the rest due months ahead. The product's ReminderScan.run(fundIds) runs
// in a process of its own (bench/reminder-runner.cjs) and is timed twice per size: the first scan
// of the day (records 1,000 reminders and writes their emails) and a repeat scan (the steady state
// of a scan every 15 minutes: the same 1,000 found, all already recorded). The baseline is the
// same scan at 10k.
import { fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { createFunds } from './prepare.mjs';
import { fmt, median, row } from './lib.mjs';

const SIZES = (process.env.BENCH_REMINDER_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const DUE = 1000;
const FUNDS = 10;
const ORGS = 1000;
const FIRST_RUNS = 3;
const REPEAT_RUNS = 5;

function startRunner(ctx, name) {
  const logFd = openSync(join(ctx.logDir, `${name}.log`), 'w');
  const child = fork(join(ctx.root, 'bench', 'reminder-runner.cjs'), [], {
    cwd: ctx.root,
    env: ctx.childEnv,
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  const pending = new Map();
  let nextId = 1;
  const ready = new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.ready) return resolve();
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
    child.once('exit', (code) => {
      const err = new Error(`reminder runner exited (${code}); see ${join(ctx.logDir, `${name}.log`)}`);
      reject(err);
      for (const p of pending.values()) p.reject(err);
    });
  });
  return {
    ready,
    call(cmd, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, ...args });
      });
    },
    async stop() {
      if (child.exitCode === null) {
        await Promise.race([this.call('close').catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      closeSync(logFd);
    },
  };
}

/** Grants [from, to): active, each with its final report; the first DUE are due soon, the rest months ahead. */
async function insertGrants(ctx, fundIds, from, to, dueOn, farFrom) {
  const c = await ctx.pg.connect();
  try {
    // Bulk load of rows known to be valid: skip the per-row foreign-key triggers (superuser only).
    await c.query('BEGIN');
    await c.query('SET LOCAL session_replication_role = replica');
    for (let start = from; start < to; start += 250_000) {
      const end = Math.min(to, start + 250_000);
      await c.query(
        `INSERT INTO applications (id, reference, fund_id, organisation_id, state, title, requested_pence, awarded_pence, area_code, created_by,
                                   submitted_at, decided_at, accepted_at, state_changed_at)
         SELECT md5('rapp' || g)::uuid, 'SGR-' || g, ($3::uuid[])[1 + g % array_length($3::uuid[], 1)], md5('rorg' || (g % $4))::uuid,
                'active', 'Bench grant', 100000, 100000, 'E06000002', $5, now() - interval '60 days', now() - interval '50 days',
                now() - interval '45 days', now() - interval '45 days'
         FROM generate_series($1::int, $2::int - 1) g`,
        [start, end, fundIds, ORGS, ctx.applicantId],
      );
      await c.query(
        `INSERT INTO monitoring_reports (application_id, kind, due_on, state)
         SELECT md5('rapp' || g)::uuid, 'final', CASE WHEN g < $3 THEN $4::date ELSE $5::date + (g % 300) END, 'due'
         FROM generate_series($1::int, $2::int - 1) g`,
        [start, end, DUE, dueOn, farFrom],
      );
    }
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
  // VACUUM as well as ANALYZE: a bulk load leaves autovacuum a million rows to process, which it
  // would otherwise do during the scans being timed; a database in service has long been vacuumed.
  await ctx.pg.query('VACUUM ANALYZE applications, monitoring_reports');
}

/** Forgets the reminders (and their emails) so that the next scan is a day's first again. */
async function forgetReminders(ctx) {
  await ctx.pg.query(
    `DELETE FROM outbox WHERE job_name = 'send-email' AND (payload->>'notificationId')::bigint IN (SELECT id FROM notifications WHERE reminder_id IS NOT NULL)`,
  );
  await ctx.pg.query('DELETE FROM notifications WHERE reminder_id IS NOT NULL');
  await ctx.pg.query('DELETE FROM reminders');
  await ctx.pg.query('VACUUM ANALYZE reminders, notifications, outbox');
}

export async function reminderScanBenchmark(ctx) {
  const fundIds = await createFunds(ctx, 'reminders', FUNDS);
  await ctx.stopServices();
  // Nothing consumes the queues now; the scan's emails wait there and are thrown away at the end.
  await ctx.queues.pause();

  await ctx.pg.query(
    `INSERT INTO organisations (id, name, legal_form, area_code, created_by)
     SELECT md5('rorg' || n)::uuid, 'Bench grantee ' || n, 'cio', 'E06000002', $1 FROM generate_series(0, $2 - 1) n`,
    [ctx.applicantId, ORGS],
  );
  await ctx.pg.query(
    `INSERT INTO organisation_members (organisation_id, user_id, role) SELECT md5('rorg' || n)::uuid, $1, 'owner' FROM generate_series(0, $2 - 1) n`,
    [ctx.applicantId, ORGS],
  );

  // (A second runner with parallel query off used to run beside it; the scan now turns parallel
  // plans and JIT off in its own transaction, so there is nothing left for it to show.)
  const runner = startRunner(ctx, 'reminder-runner');
  try {
    await runner.ready;
    const { today, windows } = await runner.call('windows');
    const dueSoon = windows['report-due-soon'];
    const latest = Object.values(windows).reduce((m, w) => (w.dueBy > m ? w.dueBy : m), today);
    const farFrom = new Date(Date.parse(`${latest}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    ctx.log(
      `reminder scan: today ${today}; ${DUE} reports due ${dueSoon.dueBy} ("due soon" window ${dueSoon.dueFrom}..${dueSoon.dueBy}); the rest from ${farFrom}`,
    );

    const figures = [];
    let have = 0;
    for (const size of SIZES) {
      const t0 = performance.now();
      await insertGrants(ctx, fundIds, have, size, dueSoon.dueBy, farFrom);
      have = size;
      const loadMs = performance.now() - t0;
      if (figures.length === 0) {
        // Warm the runner (code paths, connections) once before anything is timed.
        await runner.call('scan', { fundIds });
        await forgetReminders(ctx);
      }
      const first = [];
      for (let i = 0; i < FIRST_RUNS; i++) {
        await forgetReminders(ctx);
        const r = await runner.call('scan', { fundIds });
        const sent = r.result.reminders['report-due-soon'] ?? 0;
        if (sent !== DUE)
          throw new Error(`first scan at ${size} recorded ${sent} reminders, not ${DUE}: ${JSON.stringify(r.result)}`);
        first.push(r.ms);
      }
      // Repeat scans; the first warms the runner on the new data and is not counted.
      const repeat = [];
      for (let i = 0; i <= REPEAT_RUNS; i++) {
        const { ms, result } = await runner.call('scan', { fundIds });
        if (Object.keys(result.reminders).length !== 0)
          throw new Error(`repeat scan recorded reminders again: ${JSON.stringify(result)}`);
        if (i > 0) repeat.push(ms);
      }
      figures.push({ size, first: median(first), repeat: median(repeat), loadMs });
      ctx.log(
        `  ${fmt.n(size)} grants (loaded in ${fmt.ms(loadMs)}): first scan ${first.map(fmt.ms).join(', ')}; repeat scan ${repeat.map(fmt.ms).join(', ')}`,
      );
    }
    const base = figures[0];
    const top = figures[figures.length - 1];
    const line = (key) =>
      figures.map((f) => `${f.size >= 1e6 ? `${f.size / 1e6}M` : `${f.size / 1e3}k`} ${fmt.ms(f[key])}`).join(', ');
    const label = top.size >= 1e6 ? `${top.size / 1e6}M` : `${top.size / 1e3}k`;
    return [
      row(
        `reminder scan, repeat (${DUE} due, already sent), ${FUNDS} funds`,
        line('repeat'),
        `same scan at ${fmt.n(base.size)}: ${fmt.ms(base.repeat)}`,
        `${(top.repeat / base.repeat).toFixed(2)}×`,
        [
          { name: `${label} ≤ 100 ms`, ok: top.repeat <= 100 },
          { name: `${label} ≤ 1.5 × ${fmt.n(base.size)}`, ok: top.repeat <= 1.5 * base.repeat },
        ],
      ),
      row(
        `reminder scan, first (records ${DUE} reminders + emails)`,
        line('first'),
        `same scan at ${fmt.n(base.size)}: ${fmt.ms(base.first)}`,
        `${(top.first / base.first).toFixed(2)}×`,
        [
          { name: `${label} ≤ 100 ms`, ok: top.first <= 100 },
          { name: `${label} ≤ 1.5 × ${fmt.n(base.size)}`, ok: top.first <= 1.5 * base.first },
        ],
      ),
    ];
  } finally {
    await runner.stop();
  }
}
