import { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createWorker } from '../../apps/worker/src/create-worker';
import { registerJobSchedules } from '../../apps/worker/src/job-schedules';
import { ReminderScan } from '../../libs/applications/src';
import { Queue } from 'bullmq';
import { redisConnection } from '../../libs/jobs/src/jobs.module';
import { awaitingDecision, createFund, eventually, SIGNED, TestFund } from '../support/funds';
import { TestStack, TestUser } from '../support/stack';
import { TestClock } from '../support/test-clock';

/**
 * Reminders with a controlled clock on real PostgreSQL, Redis and SMTP. The scan runs once a day
 * at noon in London from 1 December 2026 to 20 June 2027, twice at once each time (two schedulers
 * racing), and each kind must go out on its day, exactly once, with England's bank holidays skipped.
 */
describe('reminders and offer expiry', () => {
  const clock = new TestClock(new Date('2026-12-01T12:00:00Z'));
  let s: TestStack;
  let rival: INestApplicationContext;
  let applicant: TestUser;
  let fund: TestFund;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await TestStack.start({ clock });
    // A second worker process's worth of scheduler: its own Nest context, pool and connections.
    rival = await createWorker({ clock });
    applicant = await s.user('applicant');
    fund = await createFund(s);
    const act = (token: string, id: string, action: string, body: object = {}) => s.request('POST', `/api/v1/applications/${id}/actions/${action}`, token, body);
    const [offer, grant, draft, waiting] = await awaitingDecision(s, fund.id, applicant, [
      { amountPence: 300_000 },
      { amountPence: 200_000 },
      { amountPence: 100_000, state: 'draft' },
      { amountPence: 100_000, state: 'screening' },
    ]);
    Object.assign(ids, { offer: offer.id, grant: grant.id, draft: draft.id, waiting: waiting.id });
    await s.ds.query(`UPDATE applications SET state_changed_at = $2 WHERE id = $1`, [waiting.id, clock.now()]);
    expect((await act(fund.panel.token, offer.id, 'approve', { amountPence: 300_000 })).status).toBe(200);
    const approved = await act(fund.panel.token, grant.id, 'approve', {
      amountPence: 200_000,
      conditionDetails: [{ text: 'Share the volunteer training plan', blocks: 'nothing', dueOn: '2027-01-15' }],
    });
    expect(approved.status).toBe(200);
    expect((await act(applicant.token, grant.id, 'accept-offer', SIGNED)).body.application.state).toBe('active');
  });

  afterAll(async () => {
    await rival?.close();
    await s?.stop();
  });

  const reminders = (): Promise<{ kind: string; subject_id: string; due_on: string }[]> =>
    s.ds.query(`SELECT kind, subject_id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM reminders WHERE fund_id = $1 ORDER BY id`, [fund.id]);

  it('sends each kind on its day, once, while two schedulers scan at the same moment every day', async () => {
    const firstSeen: Record<string, string> = {};
    let expiredOn = '';
    const scanners = [s.worker!.get(ReminderScan), rival.get(ReminderScan)];
    for (let day = new Date('2026-12-01T12:00:00Z'); day <= new Date('2027-06-20T12:00:00Z'); day.setUTCDate(day.getUTCDate() + 1)) {
      clock.set(day);
      await Promise.all(scanners.map((scan) => scan.run([fund.id])));
      const today = day.toISOString().slice(0, 10);
      for (const r of await reminders()) firstSeen[r.kind] ??= today;
      if (!expiredOn) {
        const [{ state }] = await s.ds.query('SELECT state FROM applications WHERE id = $1', [ids.offer]);
        if (state === 'offer_expired') expiredOn = today;
      }
    }
    // Worked out by hand with England's bank holidays: 25 and 28 December, 1 January, 31 May.
    expect(firstSeen).toEqual({
      'officer-service-level': '2026-12-15', // waiting since Tue 1 Dec + 10 working days
      'offer-expiring': '2026-12-22', // the offer lapses Thu 31 Dec; 5 working days before
      'condition-due': '2027-01-08', // due Fri 15 Jan; 5 working days before
      'draft-closing': '2027-02-19', // the fund closes Fri 26 Feb; 5 working days before
      'report-due-soon': '2027-05-17', // interim due Tue 1 Jun; 10 working days before, skipping 31 May
      'report-due-today': '2027-06-01',
      'report-overdue': '2027-06-02', // one working day late
      'report-escalation': '2027-06-15', // ten working days late, to officers
    });
    expect(expiredOn).toBe('2026-12-31');
    const all = await reminders();
    expect(all).toHaveLength(8);
    expect(new Set(all.map((r) => `${r.kind}|${r.subject_id}|${r.due_on}`)).size).toBe(8);

    // Each email arrives once: one per reminder for the applicant (the organisation's only member), and the officer's.
    const applicantSubjects = () => s.smtp.to(applicant.email).map((m) => m.subject);
    await s.smtp.waitFor(() => applicantSubjects().filter((t) => /report|expires|closes|condition|expired/.test(t)).length >= 7);
    const mine = applicantSubjects();
    const once = (pattern: RegExp) => expect(mine.filter((t) => pattern.test(t))).toHaveLength(1);
    once(/^Your grant offer for .* expires on Thursday 31 December 2026$/);
    once(/^Your grant offer for .* has expired$/);
    once(/^A condition of your grant .* is due on Friday 15 January 2027$/);
    once(/closes on Friday 26 February 2027: your draft/);
    once(/^Your interim report for .* is due on Tuesday 1 June 2027$/);
    once(/^Your interim report for .* is due today$/);
    once(/^Your interim report for .* is overdue$/);
    await s.smtp.waitFor(() => s.smtp.to(fund.officer.email).filter((m) => /Overdue interim report|Waiting since/.test(m.subject)).length >= 2);
    expect(s.smtp.to(fund.officer.email).filter((m) => /Overdue interim report/.test(m.subject))).toHaveLength(1);
    expect(s.smtp.to(fund.officer.email).filter((m) => /^Waiting since Tuesday 1 December 2026/.test(m.subject))).toHaveLength(1);
  });

  it('an offer left alone expires once, through the machine, and its money goes back to the fund', async () => {
    const [app] = await s.ds.query(`SELECT state, awarded_pence FROM applications WHERE id = $1`, [ids.offer]);
    expect(app).toEqual({ state: 'offer_expired', awarded_pence: 300_000 });
    const events = await s.ds.query(`SELECT action, actor_role FROM events WHERE application_id = $1 AND action = 'expire-offer'`, [ids.offer]);
    expect(events).toEqual([{ action: 'expire-offer', actor_role: 'system' }]);
    const ledger = await s.ds.query(`SELECT kind, amount_pence FROM ledger_entries WHERE application_id = $1 ORDER BY id`, [ids.offer]);
    expect(ledger).toEqual([
      { kind: 'commitment', amount_pence: 300_000 },
      { kind: 'release', amount_pence: 300_000 },
    ]);
    // Only the grant that was accepted still holds money.
    expect(await s.ds.query(`SELECT committed_pence FROM funds WHERE id = $1`, [fund.id])).toEqual([{ committed_pence: 200_000 }]);
  });

  it('a scan killed mid-way (its database connection dies inside the transaction) leaves nothing, and the next scan sends once', async () => {
    // A new wait: the grant team has had this application since 1 March.
    const [late] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 50_000, state: 'risk_assessment' }]);
    await s.ds.query(`UPDATE applications SET state_changed_at = '2027-03-01T12:00:00Z' WHERE id = $1`, [late.id]);
    clock.set('2027-06-21T12:00:00Z');
    // Hold the reminder's unique key open in another transaction so the scan stops half-way through.
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`INSERT INTO reminders (kind, subject_id, due_on, fund_id, application_id) VALUES ('officer-service-level', $1, '2027-03-01', $2, $1)`, [late.id, fund.id]);
    const doomed = await createWorker({ clock });
    const scan = doomed.get(ReminderScan).run([fund.id]);
    const stuck = await eventually(
      async () => (await s.ds.query(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO reminders%'`)) as { pid: number }[],
      (rows) => rows.length === 1,
    );
    // The worker dies: PostgreSQL sees its connection go, as with SIGKILL, and rolls its transaction back.
    await s.ds.query('SELECT pg_terminate_backend($1)', [stuck[0].pid]);
    await expect(scan).rejects.toThrow();
    await blocker.query('ROLLBACK');
    await blocker.end();
    await doomed.close();
    const doomedDs = doomed.get<DataSource>(getDataSourceToken());
    expect(doomedDs.isInitialized).toBe(false);
    expect(await s.ds.query(`SELECT 1 FROM reminders WHERE subject_id = $1`, [late.id])).toEqual([]);

    // The restarted worker's scan, and a racing one, send it once.
    await Promise.all([s.worker!.get(ReminderScan).run([fund.id]), rival.get(ReminderScan).run([fund.id])]);
    expect(await s.ds.query(`SELECT kind FROM reminders WHERE subject_id = $1`, [late.id])).toEqual([{ kind: 'officer-service-level' }]);
    const [{ n }] = await s.ds.query(`SELECT count(*)::int AS n FROM notifications n JOIN reminders r ON r.id = n.reminder_id WHERE r.subject_id = $1`, [late.id]);
    expect(n).toBe(1);
    await s.smtp.waitFor(() => s.smtp.to(fund.officer.email).some((m) => m.subject.startsWith('Waiting since Monday 1 March 2027')));
  });

  it('applicants who switch optional reminders off get only the mandatory ones', async () => {
    const quiet = await s.user('applicant');
    await s.ds.query('UPDATE users SET optional_reminders = false WHERE id = $1', [quiet.userId]);
    const [draft] = await awaitingDecision(s, fund.id, quiet, [{ amountPence: 10_000, state: 'draft' }]);
    clock.set('2027-02-22T12:00:00Z');
    await s.worker!.get(ReminderScan).run([fund.id]);
    // The reminder is recorded (it is due), but nobody who opted out is emailed.
    expect(await s.ds.query(`SELECT kind FROM reminders WHERE subject_id = $1`, [draft.id])).toEqual([{ kind: 'draft-closing' }]);
    expect(await s.ds.query(`SELECT n.id FROM notifications n JOIN reminders r ON r.id = n.reminder_id WHERE r.subject_id = $1`, [draft.id])).toEqual([]);
  });

  it('registers every repeating job from one place, idempotently, with London times', async () => {
    const prefix = `sgsched-${Date.now()}`;
    const connection = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const queues = { reminders: new Queue('reminders', { connection, prefix }), budget: new Queue('budget', { connection, prefix }), notifications: new Queue('notifications', { connection, prefix }) };
    try {
      await registerJobSchedules(queues, { REMINDER_SCAN_EVERY_MS: 900_000 });
      await registerJobSchedules(queues, { REMINDER_SCAN_EVERY_MS: 900_000 });
      const schedulers = (await Promise.all(Object.values(queues).map((q) => q.getJobSchedulers()))).flat();
      expect(schedulers.map((j) => [j.key, j.every ?? j.pattern, j.tz ?? null]).sort()).toEqual([
        ['housekeeping', '15 3 * * *', 'Europe/London'],
        ['nightly-budget', '30 2 * * *', 'Europe/London'],
        ['scan-reminders', 900000, null],
        ['send-digests', '0 7 * * *', 'Europe/London'],
      ]);
    } finally {
      for (const q of Object.values(queues)) {
        await q.obliterate({ force: true });
        await q.close();
      }
    }
  });
});
