// Cold start: spawn the built API and time until /api/health answers 200 (PostgreSQL and Redis
// checked), against a bare node:http server spawned and polled the same way.
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, median, spawnLogged, stopChild, waitForHttp200, fmt, row } from './lib.mjs';

const RUNS = 3;

async function timeStart(command, args, env, ctx, label) {
  const port = await freePort();
  const logFd = openSync(join(ctx.logDir, `cold-start-${label}.log`), 'w');
  const t0 = performance.now();
  const child = spawnLogged(command, args(port), { cwd: ctx.root, env: { ...env, PORT: String(port) }, logFd });
  try {
    return await waitForHttp200(`http://127.0.0.1:${port}/api/health`, t0, 30_000, child);
  } finally {
    await stopChild(child);
    closeSync(logFd);
  }
}

export async function coldStart(ctx) {
  // Alternated, so that a neighbour's load falls on both alike.
  const api = [];
  const bare = [];
  for (let i = 0; i < RUNS; i++) {
    api.push(await timeStart(process.execPath, () => [ctx.apiMain], ctx.childEnv, ctx, `api-${i}`));
    bare.push(
      await timeStart(
        process.execPath,
        (port) => [join(ctx.root, 'bench', 'bare-server.cjs'), String(port)],
        process.env,
        ctx,
        `bare-${i}`,
      ),
    );
  }
  const a = median(api);
  const b = median(bare);
  ctx.log(`cold start: api ${api.map(fmt.ms).join(', ')}; bare node:http ${bare.map(fmt.ms).join(', ')}`);
  return [
    row(
      `cold start to /api/health 200 (median of ${RUNS})`,
      fmt.ms(a),
      `bare node:http ${fmt.ms(b)}`,
      `${(a / b).toFixed(1)}×`,
      [{ name: '≤ 2 s', ok: a <= 2000 }],
    ),
  ];
}
