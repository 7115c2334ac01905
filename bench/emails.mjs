// Emails end to end: from the transition's commit (notifications.created_at, written in the
// approving transaction) to acceptance by the bench's SMTP server (the notification id is in the
// Message-ID). Sustained: the worker drains the backlog the approve benchmark left in the held
// queue. Light load: 100 approvals at 20 a second, each emailing one person. Baseline: nodemailer
// sending straight to the same server from one process (bench/nodemailer-baseline.cjs).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { awaitingDecision, createFunds } from './prepare.mjs';
import { fmt, median, percentile, row, sleep } from './lib.mjs';

const WINDOW_MS = Number(process.env.BENCH_EMAIL_WINDOW_MS ?? 15_000);
const LIGHT_COUNT = 100;
const LIGHT_PER_SECOND = 20;
const NOTIFICATION_ID = /^<notification-(\d+)@/;

/** Accepted messages matching `pattern`, until the returned stop(). */
function collect(sink, pattern) {
  const seen = [];
  const stop = sink.listen((m) => {
    const match = m.messageId && pattern.exec(m.messageId);
    if (match) seen.push({ ...m, match });
  });
  return { seen, stop };
}

/** Messages per second between the first and the last accepted within the window from the first. */
function sustainedRate(seen, windowMs) {
  if (seen.length < 2) return { rate: NaN, n: seen.length, spanMs: 0 };
  const first = seen[0].at;
  const inWindow = seen.filter((m) => m.at - first <= windowMs);
  const spanMs = inWindow[inWindow.length - 1].at - first;
  return { rate: ((inWindow.length - 1) / spanMs) * 1000, n: inWindow.length, spanMs };
}

function runBaseline(ctx, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ctx.root, 'bench', 'nodemailer-baseline.cjs'), String(ctx.sink.port), ...args.map(String)],
      { cwd: ctx.root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`nodemailer baseline exited ${code}`)),
    );
  });
}

async function waitUntil(check, timeoutMs, everyMs = 50) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
  return true;
}

export async function emailBenchmarks(ctx) {
  // Sustained: let the worker loose on the backlog of 'award-offered' emails the approvals left.
  await ctx.queues.discard(['budget', 'fees', 'reminders']);
  const counts = await ctx.queues.counts('notifications');
  const backlog = counts.paused + counts.waiting + counts.prioritized;
  ctx.log(
    `emails: sustained, draining a backlog of ${backlog} committed notifications (window ${WINDOW_MS / 1000} s)…`,
  );
  const drain = collect(ctx.sink, NOTIFICATION_ID);
  await ctx.queues.resume(['notifications']);
  await waitUntil(
    () => drain.seen.length >= backlog || (drain.seen.length > 0 && Date.now() - drain.seen[0].at > WINDOW_MS),
    WINDOW_MS + 30_000,
  );
  drain.stop();
  await ctx.queues.pause(['notifications']);
  for (let i = 0; i < 100 && (await ctx.queues.counts('notifications')).active > 0; i++) await sleep(100);
  await ctx.queues.discard(['notifications']);
  await ctx.queues.resume();
  const product = sustainedRate(drain.seen, WINDOW_MS);
  const avgBytes = drain.seen.reduce((s, m) => s + m.bytes, 0) / Math.max(1, drain.seen.length);
  ctx.log(
    `  product ${fmt.n(product.rate)}/s (${product.n} emails over ${fmt.ms(product.spanMs)}, ${fmt.n(avgBytes)} bytes each)`,
  );

  const baselineCount = Math.max(1000, Math.min(product.n, 4000));
  const burst = collect(ctx.sink, /^<baseline-(\d+)-(\d+)@/);
  await runBaseline(ctx, ['burst', baselineCount, Math.round(avgBytes)]);
  await waitUntil(() => burst.seen.length >= baselineCount, 10_000);
  burst.stop();
  const base = sustainedRate(burst.seen, WINDOW_MS);
  ctx.log(`  nodemailer direct ${fmt.n(base.rate)}/s (${base.n} emails over ${fmt.ms(base.spanMs)})`);

  // Light load: approvals at 20 a second with the worker idle; each one emails its applicant.
  const [fund] = await createFunds(ctx, 'email-latency', 1);
  const apps = await awaitingDecision(ctx, 'latency', [fund], LIGHT_COUNT, 100);
  ctx.log(`emails: light load, ${LIGHT_COUNT} approvals at ${LIGHT_PER_SECOND}/s…`);
  const light = collect(ctx.sink, NOTIFICATION_ID);
  const t0 = performance.now();
  const statuses = await Promise.all(
    apps.map(async (app, i) => {
      await sleep(Math.max(0, t0 + (i * 1000) / LIGHT_PER_SECOND - performance.now()));
      const r = await ctx.http.request('POST', `/api/v1/applications/${app.id}/actions/approve`, {
        token: ctx.tokens.panel,
        body: { amountPence: 100 },
      });
      return r.status;
    }),
  );
  const { rows: notes } = await ctx.pg.query(
    `SELECT id::text, extract(epoch FROM created_at) * 1000 AS created_ms FROM notifications WHERE application_id = ANY ($1::uuid[])`,
    [apps.map((a) => a.id)],
  );
  const wanted = new Map(notes.map((n) => [n.id, Number(n.created_ms)]));
  await waitUntil(() => light.seen.filter((m) => wanted.has(m.match[1])).length >= wanted.size, 30_000);
  light.stop();
  const latencies = light.seen.filter((m) => wanted.has(m.match[1])).map((m) => m.at - wanted.get(m.match[1]));
  const approved = statuses.filter((s) => s === 200).length;
  const p95 = percentile(latencies, 95);
  ctx.log(
    `  ${approved} approved, ${wanted.size} emails written, ${latencies.length} received; p50 ${fmt.ms(median(latencies))} p95 ${fmt.ms(p95)} max ${fmt.ms(Math.max(...latencies))}`,
  );

  const paced = collect(ctx.sink, /^<baseline-(\d+)-(\d+)@/);
  await runBaseline(ctx, ['paced', LIGHT_COUNT, Math.round(avgBytes), LIGHT_PER_SECOND]);
  await waitUntil(() => paced.seen.length >= LIGHT_COUNT, 10_000);
  paced.stop();
  const baseLatencies = paced.seen.map((m) => m.at - Number(m.match[2]));
  ctx.log(
    `  nodemailer direct at ${LIGHT_PER_SECOND}/s: p50 ${fmt.ms(median(baseLatencies))} p95 ${fmt.ms(percentile(baseLatencies, 95))}`,
  );

  const ratio = product.rate / base.rate;
  return [
    row(
      'emails sustained (commit → SMTP accepted)',
      `${fmt.n(product.rate)}/s (${product.n} emails)`,
      `nodemailer direct ${fmt.n(base.rate)}/s`,
      fmt.pct(ratio),
      [{ name: '≥ 1,000/s', ok: product.rate >= 1000 }],
    ),
    row(
      `emails at light load (${LIGHT_PER_SECOND}/s), commit → SMTP accepted`,
      `p50 ${fmt.ms(median(latencies))}, p95 ${fmt.ms(p95)} (${latencies.length}/${wanted.size})`,
      `nodemailer direct p95 ${fmt.ms(percentile(baseLatencies, 95))}`,
      `${(p95 / percentile(baseLatencies, 95)).toFixed(1)}×`,
      [{ name: 'p95 ≤ 250 ms', ok: p95 <= 250 && latencies.length === wanted.size && wanted.size === LIGHT_COUNT }],
    ),
  ];
}
