// Helpers shared by the benchmarks: a concurrency driver, percentiles, HTTP calls, process
// sampling and the printed table. Plain Node plus the project's own dependencies.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);

/**
 * Runs `concurrency` loops for up to `durationMs`: each takes the next task from `next()` (null
 * when there is none left) and awaits it. Returns how many completed, how long it took and each
 * task's latency. The same driver runs the product and its baseline, so both see the same load.
 */
export async function drive({ concurrency, durationMs, next }) {
  const started = performance.now();
  const until = started + durationMs;
  const latencies = [];
  const outcomes = new Map();
  let done = 0;
  const loop = async () => {
    while (performance.now() < until) {
      const task = next();
      if (!task) return;
      const t0 = performance.now();
      let outcome;
      try {
        outcome = String(await task());
      } catch (err) {
        outcome = `error: ${err.code ?? err.message}`;
      }
      latencies.push(performance.now() - t0);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = performance.now() - started;
  return { done, elapsedMs, perSecond: (done / elapsedMs) * 1000, latencies, outcomes: Object.fromEntries(outcomes) };
}

/** A keep-alive HTTP client for the bench's own calls (set-up, approvals). */
export function httpClient(baseUrl, maxSockets = 64) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const u = new URL(baseUrl);
  return {
    agent,
    request(method, path, { token, body } = {}) {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            agent,
            host: u.hostname,
            port: u.port,
            method,
            path,
            headers: {
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            },
          },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let json = null;
              try {
                json = text ? JSON.parse(text) : null;
              } catch {
                /* not JSON */
              }
              resolve({ status: res.statusCode, body: json, text });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}

/** Polls a URL until it answers 200; resolves with the time that took from `since` (ms). */
export async function waitForHttp200(url, since, timeoutMs = 30_000, child) {
  for (;;) {
    const ok = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return performance.now() - since;
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered`);
    if (performance.now() - since > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the samples' max and median. */
export function sampleRss(pid, everyMs = 100) {
  const samples = [];
  const timer = setInterval(() => {
    const v = rssMb(pid);
    if (!Number.isNaN(v)) samples.push(v);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { maxMb: Math.max(...samples), medianMb: median(samples), samples: samples.length };
    },
  };
}

/** Starts a child process whose output goes to a file, not through this process. */
export function spawnLogged(command, args, { env, cwd, logFd, extraStdio = [] }) {
  return spawn(command, args, { cwd, env, stdio: ['ignore', logFd, logFd, ...extraStdio] });
}

export function stopChild(child, signal = 'SIGTERM', timeoutMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export const fmt = {
  n: (v, digits = 0) =>
    Number.isFinite(v)
      ? v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : String(v),
  ms: (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms` : String(v)),
  pct: (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : String(v)),
};

/**
 * One result row: what was measured, the product's figure, the baseline's, their ratio and the
 * verdict against each target (a target is a name and whether it holds).
 */
export function row(name, figure, baseline, ratio, targets) {
  return { name, figure, baseline, ratio, targets };
}

export function printTable(rows) {
  const lines = [];
  const head = ['benchmark', 'figure', 'baseline (same run)', 'ratio', 'target', 'result'];
  const body = [];
  for (const r of rows) {
    const targets = r.targets.length ? r.targets : [{ name: '', ok: null }];
    targets.forEach((t, i) => {
      body.push([
        i === 0 ? r.name : '',
        i === 0 ? r.figure : '',
        i === 0 ? r.baseline : '',
        i === 0 ? r.ratio : '',
        t.name,
        t.ok === null ? '' : t.ok === 'skip' ? 'n/a' : t.ok ? 'PASS' : 'MISS',
      ]);
    });
  }
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => String(b[c]).length)));
  const line = (cells) => cells.map((x, c) => String(x).padEnd(widths[c])).join(' | ');
  lines.push(line(head));
  lines.push(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const b of body) lines.push(line(b));
  return lines.join('\n');
}
