import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BUILT = {
  worker: join(ROOT, 'dist', 'apps', 'worker', 'apps', 'worker', 'src', 'main.js'),
  api: join(ROOT, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js'),
} as const;

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, e) => {
    const p = join(dir, e.name);
    return Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }, 0);
}

/** The compiled app, rebuilt first if any source is newer: a test must run the code it reads. */
export function built(app: keyof typeof BUILT): string {
  const file = BUILT[app];
  if (
    !existsSync(file) ||
    statSync(file).mtimeMs < Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')))
  ) {
    execFileSync('npx', ['nest', 'build', app], { cwd: ROOT, stdio: 'ignore' });
  }
  return file;
}

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the signal or code it ended with. */
  exited: Promise<string>;
}

/** A real process of the product (as production runs it), resolved once it prints `ready`. */
async function spawnBuilt(
  app: keyof typeof BUILT,
  ready: string,
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<WorkerProcess> {
  const { child, output } = startBuilt(app, env);
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
  const until = Date.now() + timeoutMs;
  while (!output().includes(ready)) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`${app} did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output, exited };
}

/** A real worker process, resolved once it says it is ready. */
export function spawnWorker(env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<WorkerProcess> {
  return spawnBuilt('worker', 'worker ready', env, timeoutMs);
}

/** A real API process on `PORT` (the database must be migrated), resolved once it listens. */
export function spawnApi(env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<WorkerProcess> {
  return spawnBuilt('api', 'api ready', env, timeoutMs);
}

/** Starts the built app and waits for it to stop on its own (a refusal to start): its code and output. */
export async function runToExit(
  app: keyof typeof BUILT,
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<{ code: string; output: string }> {
  const { child, output } = startBuilt(app, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<string>((resolve) => child.on('exit', (c, signal) => resolve(signal ?? String(c))));
  clearTimeout(timer);
  return { code, output: output() };
}

/** The built app as a process, its stdout and stderr gathered together. */
function startBuilt(
  app: keyof typeof BUILT,
  env: Record<string, string | undefined>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [built(app)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}
