import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'apps', 'worker', 'apps', 'worker', 'src', 'main.js');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, e) => {
    const p = join(dir, e.name);
    return Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }, 0);
}

/** The compiled worker, rebuilt first if any source is newer: a test must run the code it reads. */
function builtWorker(): string {
  if (!existsSync(WORKER) || statSync(WORKER).mtimeMs < Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')))) {
    execFileSync('npx', ['nest', 'build', 'worker'], { cwd: ROOT, stdio: 'ignore' });
  }
  return WORKER;
}

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the signal or code it ended with. */
  exited: Promise<string>;
}

/** A real worker process (as production runs it), resolved once it says it is ready. */
export async function spawnWorker(env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [builtWorker()], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
  const until = Date.now() + timeoutMs;
  while (!out.includes('worker ready')) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`worker did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, exited };
}
