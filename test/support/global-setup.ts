import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source-options';
import { SmtpSink } from './smtp-sink';

/**
 * Once per run: a fresh test database with every migration applied, and a queue prefix of its
 * own so that jobs from another run never reach this one. Refuses any database whose name lacks
 * "test", so a mistyped URL cannot wipe real data. Starts the run's one SMTP sink.
 */
export default async function globalSetup(): Promise<void> {
  const g = globalThis as { __smallGrantsTestDb?: boolean };
  if (g.__smallGrantsTestDb) return;
  g.__smallGrantsTestDb = true;

  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/smallgrants_test');
  const name = url.pathname.slice(1);
  if (!/test/.test(name)) throw new Error(`refusing to use database "${name}" for tests: its name must contain "test"`);

  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const ds = new DataSource(dataSourceOptions(url.toString(), 2));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();

  process.env.DATABASE_URL = url.toString();
  process.env.NODE_ENV = 'test';
  process.env.QUEUE_PREFIX = `sgtest-${randomBytes(4).toString('hex')}`;
  // Every suite signs in and calls the API from 127.0.0.1: limits far above a run's traffic.
  // test/integration/rate-limits.test.ts sets its own, low ones.
  for (const limit of ['SIGN_IN', 'EMAIL_FORMS', 'INVITATIONS', 'TOKEN_MINTING', 'API'])
    process.env[`RATE_LIMIT_${limit}`] = '1000000';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  process.env.OUTBOX_POLL_MS = '200';
  // Suites share Redis queues: a repeating scan in one suite's worker would act on another's data.
  // The scheduler's registration is tested on queues of its own; scans are run by the tests.
  process.env.SCHEDULED_JOBS = 'off';
  process.env.PUBLIC_URL = 'http://grants.test';
  const mailDir = mkdtempSync(join(tmpdir(), 'sg-test-mail-'));
  const sink = new SmtpSink(mailDir);
  await sink.start();
  (globalThis as { __smallGrantsSmtp?: SmtpSink }).__smallGrantsSmtp = sink;
  process.env.SMTP_URL = sink.url;
  process.env.TEST_MAIL_DIR = mailDir;
  process.env.FILE_STORAGE_DIR = join(tmpdir(), `sg-test-files-${randomBytes(4).toString('hex')}`);
}
