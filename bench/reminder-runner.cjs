// Runs the product's ReminderScan (from the built worker's code) in a process of its own, on the
// bench's database, when the parent asks over IPC: { id, cmd: 'windows' | 'scan', fundIds }.
// Replies { id, result } or { id, error }. Kept alive between scans so they run warm, as the
// worker's scheduled scan does.
require('reflect-metadata');
const { join } = require('node:path');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const dist = join(__dirname, '..', 'dist', 'apps', 'worker', 'libs');
const { ConfigModule, CLOCK, WORKING_CALENDAR } = require(join(dist, 'config', 'src'));
const { PersistenceModule } = require(join(dist, 'persistence', 'src'));
const { JobsModule, OutboxRelay } = require(join(dist, 'jobs', 'src'));
const { ApplicationsModule, ReminderScan } = require(join(dist, 'applications', 'src'));
const { dueWindow, londonDate, REMINDER_KINDS, reminderOffsets } = require(join(dist, 'domain', 'src'));

class ReminderBenchModule {}
Module({ imports: [ConfigModule.forRoot(), PersistenceModule, JobsModule, ApplicationsModule] })(ReminderBenchModule);

async function main() {
  const app = await NestFactory.createApplicationContext(ReminderBenchModule, { logger: ['error', 'warn'] });
  const scan = app.get(ReminderScan);
  const relay = app.get(OutboxRelay);
  const handlers = {
    async windows() {
      const today = londonDate(app.get(CLOCK).now());
      const calendar = app.get(WORKING_CALENDAR);
      const offsets = reminderOffsets({});
      return {
        today,
        windows: Object.fromEntries(
          Object.keys(REMINDER_KINDS).map((k) => [k, dueWindow(k, today, offsets, calendar)]),
        ),
      };
    },
    async scan({ fundIds }) {
      const t0 = performance.now();
      const result = await scan.run(fundIds);
      const ms = performance.now() - t0;
      // The scan nudges the outbox relay as it ends; let that finish outside the timing.
      await relay.relayAll();
      return { ms, result };
    },
    async close() {
      await app.close();
      setImmediate(() => process.exit(0));
      return {};
    },
  };
  process.on('message', async (msg) => {
    try {
      process.send({ id: msg.id, result: await handlers[msg.cmd](msg) });
    } catch (err) {
      process.send({ id: msg.id, error: err.stack ?? String(err) });
    }
  });
  process.send({ ready: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
