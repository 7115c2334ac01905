// GET /api/v1/applications/{id} (with the officer's allowedActions) at 50 connections, against a
// bare node:http server answering a JSON object of the same size; autocannon drives both. The
// API process's RSS is sampled from /proc meanwhile.
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fmt, freePort, row, sampleRss, spawnLogged, stopChild, waitForHttp200 } from './lib.mjs';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_GET_S ?? 10);
const WARMUP_S = 2;
const ROUNDS = 2;

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function load(url, paths, headers, durationS) {
  let i = 0;
  return cannon({
    url,
    connections: CONNECTIONS,
    duration: durationS,
    headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }),
      },
    ],
  });
}

/** Requests per second over all rounds; p99 the worse round's. */
function combine(runs) {
  const seconds = runs.reduce((s, r) => s + r.duration, 0);
  const total = runs.reduce((s, r) => s + r.requests.total, 0);
  return {
    perSecond: total / seconds,
    total,
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    failed: runs.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
  };
}

const summary = (r) => `${fmt.n(r.perSecond)} req/s, p99 ${fmt.ms(r.p99)}`;

export async function getApplicationBenchmark(ctx) {
  const { rows } = await ctx.pg.query(
    `SELECT id FROM applications WHERE fund_id = $1 AND state = 'offered' ORDER BY id LIMIT 100`,
    [ctx.hotFundId],
  );
  if (rows.length === 0) throw new Error('no offered applications to read (did the approve benchmark run?)');
  const paths = rows.map((r) => `/api/v1/applications/${r.id}`);
  const headers = { authorization: `Bearer ${ctx.tokens.officer}` };
  const sample = await ctx.http.request('GET', paths[0], { token: ctx.tokens.officer });
  if (sample.status !== 200 || !Array.isArray(sample.body?.allowedActions))
    throw new Error(`GET answered ${sample.status}: ${sample.text.slice(0, 200)}`);
  const bytes = Buffer.byteLength(sample.text);

  // The baseline: the same JSON object (serialised per request) from a bare node:http server.
  const bodyFile = join(ctx.logDir, 'get-body.json');
  writeFileSync(bodyFile, sample.text);
  const port = await freePort();
  const logFd = openSync(join(ctx.logDir, 'bare-server.log'), 'w');
  const bareProcess = spawnLogged(
    process.execPath,
    [join(ctx.root, 'bench', 'bare-server.cjs'), String(port), bodyFile],
    { cwd: ctx.root, env: process.env, logFd },
  );
  const bareUrl = `http://127.0.0.1:${port}`;
  ctx.log(
    `GET application: ${CONNECTIONS} connections, ${DURATION_S} s each side in ${ROUNDS} alternating rounds, body ${bytes} bytes, allowedActions ${JSON.stringify(sample.body.allowedActions)}`,
  );
  const apiRuns = [];
  const bareRuns = [];
  let memory;
  let bareMemory;
  try {
    await waitForHttp200(`${bareUrl}/`, performance.now(), 10_000, bareProcess);
    await load(ctx.baseUrl, paths, headers, WARMUP_S);
    await load(bareUrl, paths, headers, WARMUP_S);
    const rss = sampleRss(ctx.api.pid, 100);
    // The baseline's memory under the same load: what a Node process serving this JSON needs at least.
    const bareRss = sampleRss(bareProcess.pid, 100);
    for (let round = 0; round < ROUNDS; round++) {
      apiRuns.push(await load(ctx.baseUrl, paths, headers, DURATION_S / ROUNDS));
      bareRuns.push(await load(bareUrl, paths, headers, DURATION_S / ROUNDS));
    }
    memory = rss.stop();
    bareMemory = bareRss.stop();
  } finally {
    await stopChild(bareProcess);
    closeSync(logFd);
  }
  ctx.apiRss = memory;
  const api = combine(apiRuns);
  const base = combine(bareRuns);
  const failed = api.failed;
  ctx.log(
    `  api ${summary(api)} (${api.total} requests, ${failed} failed); bare ${summary(base)}; api RSS max ${fmt.n(memory.maxMb, 1)} MB, bare ${fmt.n(bareMemory.maxMb, 1)} MB`,
  );
  const ratio = api.perSecond / base.perSecond;
  return [
    row(
      `GET application (allowedActions), ${CONNECTIONS} connections`,
      summary(api),
      `bare node:http ${summary(base)}`,
      fmt.pct(ratio),
      [
        { name: '≥ 30% of bare', ok: ratio >= 0.3 },
        { name: 'p99 ≤ 20 ms', ok: api.p99 <= 20 },
        ...(failed > 0 ? [{ name: `no failed requests (${failed})`, ok: false }] : []),
      ],
    ),
    row(
      'api RSS under the GET load',
      `max ${fmt.n(memory.maxMb, 0)} MB (median ${fmt.n(memory.medianMb, 0)})`,
      `bare node:http max ${fmt.n(bareMemory.maxMb, 0)} MB`,
      `${(memory.maxMb / bareMemory.maxMb).toFixed(1)}×`,
      [{ name: '≤ 200 MB', ok: memory.maxMb <= 200 }],
    ),
  ];
}
