import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createWorker } from '../../apps/worker/src/create-worker';
import { registerJobSchedules } from '../../apps/worker/src/job-schedules';
import { ReminderScan } from '../../libs/applications/src';
import { Queue } from 'bullmq';
import { redisConnection } from '../../libs/jobs/src/jobs.module';
import { awaitingDecision, createFund, eventually, SIGNED, TestFund } from '../support/funds';
import { TestStack, TestUser } from '../support/stack';
import { spawnWorker, WorkerProcess } from '../support/processes';
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
    const act = (token: string, id: string, action: string, body: object = {}) =>
      s.request('POST', `/api/v1/applications/${id}/actions/${action}`, token, body);
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
    s.ds.query(
      `SELECT kind, subject_id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM reminders WHERE fund_id = $1 ORDER BY id`,
      [fund.id],
    );

  it('sends each kind on its day, once, while two schedulers scan at the same moment every day', async () => {
    const firstSeen: Record<string, string> = {};
    let expiredOn = '';
    const scanners = [s.worker!.get(ReminderScan), rival.get(ReminderScan)];
    for (
      let day = new Date('2026-12-01T12:00:00Z');
      day <= new Date('2027-06-20T12:00:00Z');
      day.setUTCDate(day.getUTCDate() + 1)
    ) {
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
    await s.smtp.waitFor(
      () => applicantSubjects().filter((t) => /report|expires|closes|condition|expired/.test(t)).length >= 7,
    );
    const mine = applicantSubjects();
    const once = (pattern: RegExp) => expect(mine.filter((t) => pattern.test(t))).toHaveLength(1);
    once(/^Your grant offer for .* expires on Thursday 31 December 2026$/);
    once(/^Your grant offer for .* has expired$/);
    once(/^A condition of your grant .* is due on Friday 15 January 2027$/);
    once(/closes on Friday 26 February 2027: your draft/);
    once(/^Your interim report for .* is due on Tuesday 1 June 2027$/);
    once(/^Your interim report for .* is due today$/);
    once(/^Your interim report for .* is overdue$/);
    await s.smtp.waitFor(
      () =>
        s.smtp.to(fund.officer.email).filter((m) => /Overdue interim report|Waiting since/.test(m.subject)).length >= 2,
    );
    expect(s.smtp.to(fund.officer.email).filter((m) => /Overdue interim report/.test(m.subject))).toHaveLength(1);
    expect(
      s.smtp.to(fund.officer.email).filter((m) => /^Waiting since Tuesday 1 December 2026/.test(m.subject)),
    ).toHaveLength(1);
  });

  it('an offer left alone expires once, through the machine, and its money goes back to the fund', async () => {
    const [app] = await s.ds.query(`SELECT state, awarded_pence FROM applications WHERE id = $1`, [ids.offer]);
    expect(app).toEqual({ state: 'offer_expired', awarded_pence: 300_000 });
    const events = await s.ds.query(
      `SELECT action, actor_role FROM events WHERE application_id = $1 AND action = 'expire-offer'`,
      [ids.offer],
    );
    expect(events).toEqual([{ action: 'expire-offer', actor_role: 'system' }]);
    const ledger = await s.ds.query(
      `SELECT kind, amount_pence FROM ledger_entries WHERE application_id = $1 ORDER BY id`,
      [ids.offer],
    );
    expect(ledger).toEqual([
      { kind: 'commitment', amount_pence: 300_000 },
      { kind: 'release', amount_pence: 300_000 },
    ]);
    // Only the grant that was accepted still holds money.
    expect(await s.ds.query(`SELECT committed_pence FROM funds WHERE id = $1`, [fund.id])).toEqual([
      { committed_pence: 200_000 },
    ]);
  });

  it('a worker process SIGKILLed in the middle of a scan commits nothing; restarted, its scan sends the reminder once', async () => {
    // Real time and a real process: this application has waited a month, so its reminder is due now.
    const other = await createFund(s);
    const [late] = await awaitingDecision(s, other.id, applicant, [{ amountPence: 50_000, state: 'risk_assessment' }]);
    const [[{ due_on: dueOn }]] = await s.ds.query(
      `UPDATE applications SET state_changed_at = now() - interval '30 days' WHERE id = $1
       RETURNING to_char(state_changed_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS due_on`,
      [late.id],
    );
    const prefix = `sgkill-${randomBytes(4).toString('hex')}`;
    // The processes have queues of their own, so the scan job goes to them and no other worker. They
    // relay only at start and after a scan (no polling), and each is let go only once nothing in its
    // email queue is left unsent: any other suite's email it relayed must be sent, not stranded in
    // its queues. A job it put off because another suite's worker held that email (it looks again
    // after the claim's lease) strands nothing once that worker has sent the email.
    const env = {
      QUEUE_PREFIX: prefix,
      SCHEDULED_JOBS: 'off',
      OUTBOX_POLL_MS: '60000',
      DATABASE_URL: process.env.DATABASE_URL,
      LOG_LEVEL: 'warn',
    };
    const connection = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const queue = new Queue('reminders', { connection, prefix });
    const emails = new Queue('notifications', { connection, prefix });
    const unsentInQueue = async () => {
      const counts = await emails.getJobCounts('waiting', 'active', 'prioritized');
      const delayedIds = (await emails.getDelayed()).map((j) => Number(j.data?.notificationId));
      const [{ unsent }] = await s.ds.query(
        `SELECT count(*)::int AS unsent FROM notifications WHERE id = ANY($1::bigint[]) AND status <> 'sent'`,
        [delayedIds],
      );
      return Object.values(counts).reduce((a, n) => a + n, 0) + unsent;
    };
    const drained = () => eventually(unsentInQueue, (n) => n === 0);
    // Another transaction holds the reminder's unique key, so the worker's scan stops inside its transaction.
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    const waiting = () =>
      s.ds.query(
        `SELECT pid FROM pg_stat_activity WHERE query LIKE '%INSERT INTO reminders%' AND state = 'active' AND pid <> pg_backend_pid()`,
      );
    let first: WorkerProcess | undefined;
    let second: WorkerProcess | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO reminders (kind, subject_id, due_on, fund_id, application_id) VALUES ('officer-service-level', $1, $2, $3, $1)`,
        [late.id, dueOn, other.id],
      );
      first = await spawnWorker(env);
      await drained();
      await queue.add('scan-reminders', { fundIds: [other.id] });
      await eventually(waiting, (rows) => rows.length === 1);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      await blocker.query('ROLLBACK');
      // The dead worker's backend may finish its statement, but nobody is left to commit it.
      await eventually(waiting, (rows) => rows.length === 0);
      expect(await s.ds.query(`SELECT 1 FROM reminders WHERE subject_id = $1`, [late.id])).toEqual([]);

      second = await spawnWorker(env);
      await queue.add('scan-reminders', { fundIds: [other.id] });
      await eventually(
        () => s.ds.query(`SELECT kind FROM reminders WHERE subject_id = $1`, [late.id]),
        (rows) => rows.length === 1,
      );
      await s.smtp.waitFor(() => s.smtp.to(other.officer.email).some((m) => m.subject.startsWith('Waiting since')));
      // Another scan (the stalled job coming back, or the next tick) finds nothing new to send.
      await Promise.all([s.worker!.get(ReminderScan).run([other.id]), rival.get(ReminderScan).run([other.id])]);
      await new Promise((r) => setTimeout(r, 500));
      expect(await s.ds.query(`SELECT kind FROM reminders WHERE subject_id = $1`, [late.id])).toEqual([
        { kind: 'officer-service-level' },
      ]);
      expect(s.smtp.to(other.officer.email).filter((m) => m.subject.startsWith('Waiting since'))).toHaveLength(1);
      await drained();
    } finally {
      first?.child.kill('SIGKILL');
      second?.child.kill('SIGTERM');
      await second?.exited;
      await blocker.end().catch(() => undefined);
      for (const q of [queue, emails]) {
        await q.obliterate({ force: true });
        await q.close();
      }
    }
  });

  it('applicants who switch optional reminders off get only the mandatory ones', async () => {
    const quiet = await s.user('applicant');
    await s.ds.query('UPDATE users SET optional_reminders = false WHERE id = $1', [quiet.userId]);
    const [draft] = await awaitingDecision(s, fund.id, quiet, [{ amountPence: 10_000, state: 'draft' }]);
    clock.set('2027-02-22T12:00:00Z');
    await s.worker!.get(ReminderScan).run([fund.id]);
    // The reminder is recorded (it is due), but nobody who opted out is emailed.
    expect(await s.ds.query(`SELECT kind FROM reminders WHERE subject_id = $1`, [draft.id])).toEqual([
      { kind: 'draft-closing' },
    ]);
    expect(
      await s.ds.query(
        `SELECT n.id FROM notifications n JOIN reminders r ON r.id = n.reminder_id WHERE r.subject_id = $1`,
        [draft.id],
      ),
    ).toEqual([]);
  });

  it('records a backlog larger than one batch once while two schedulers race, by each fund’s own offsets, and holds a digest reader’s reminder for the digest', async () => {
    const many = await createFund(s);
    // A fund that says "due soon" two working days ahead instead of ten.
    const brief = await createFund(s, { reminders: { reportDueSoonBefore: 'P2D' } });
    const quiet = await s.user('applicant');
    await s.ds.query('UPDATE users SET optional_reminders = false WHERE id = $1', [quiet.userId]);
    await s.ds.query('UPDATE users SET daily_digest = true WHERE id = $1', [many.officer.userId]);
    const prompt = await s.user('officer', many.definition.managingOrganisation.slug);
    const [waiting] = await awaitingDecision(s, many.id, quiet, [{ amountPence: 10_000, state: 'screening' }]);
    await s.ds.query(`UPDATE applications SET state_changed_at = '2027-02-01T12:00:00Z' WHERE id = $1`, [waiting.id]);
    const grants = (fundId: string, count: number, reportDueOn: string) =>
      s.ds.query(
        `WITH a AS (
           INSERT INTO applications (reference, fund_id, organisation_id, state, title, requested_pence, awarded_pence, area_code, created_by)
           SELECT 'SG-' || md5(random()::text), $1, $2, 'active', 'Project', 10000, 10000, 'E06000002', $3 FROM generate_series(1, $4::int)
           RETURNING id)
         INSERT INTO monitoring_reports (application_id, kind, due_on, state) SELECT id, 'final', $5, 'due' FROM a`,
        [fundId, waiting.organisationId, quiet.userId, count, reportDueOn],
      );
    // One more grant than the scan records in a transaction, each with a report due on Thursday 4 March.
    await grants(many.id, 1001, '2027-03-04');
    await grants(brief.id, 1, '2027-03-03');
    await grants(brief.id, 1, '2027-03-04');
    clock.set('2027-03-01T12:00:00Z');
    const funds = [many.id, brief.id];
    const scans = await Promise.all([s.worker!.get(ReminderScan).run(funds), rival.get(ReminderScan).run(funds)]);
    const sum = (kind: string) => scans.reduce((n, r) => n + ((r.reminders as Record<string, number>)[kind] ?? 0), 0);
    expect([sum('report-due-soon'), sum('officer-service-level')]).toEqual([1002, 1]);
    const recorded = `SELECT kind, to_char(due_on, 'YYYY-MM-DD') AS due_on, count(*)::int AS n FROM reminders WHERE fund_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`;
    expect(await s.ds.query(recorded, [many.id])).toEqual([
      { kind: 'officer-service-level', due_on: '2027-02-01', n: 1 },
      { kind: 'report-due-soon', due_on: '2027-03-04', n: 1001 },
    ]);
    expect(await s.ds.query(recorded, [brief.id])).toEqual([{ kind: 'report-due-soon', due_on: '2027-03-03', n: 1 }]);
    // "Due soon" is optional and the only member switched it off; the officers' reminder is mandatory.
    const notes: { recipient_user_id: string; held: boolean; queued: boolean }[] = await s.ds.query(
      `SELECT n.recipient_user_id, n.status = 'held' AS held, EXISTS (SELECT FROM outbox o WHERE o.job_id = 'email-' || n.id) AS queued
       FROM notifications n JOIN reminders r ON r.id = n.reminder_id WHERE r.fund_id = ANY ($1)`,
      [funds],
    );
    expect(notes.find((n) => n.recipient_user_id === many.officer.userId)).toEqual({
      recipient_user_id: many.officer.userId,
      held: true,
      queued: false,
    });
    expect(notes.find((n) => n.recipient_user_id === prompt.userId)).toEqual({
      recipient_user_id: prompt.userId,
      held: false,
      queued: true,
    });
    expect(notes.some((n) => n.recipient_user_id === quiet.userId)).toBe(false);
    expect((await s.worker!.get(ReminderScan).run(funds)).reminders).toEqual({});
  });

  it('registers every repeating job from one place, idempotently, with London times', async () => {
    const prefix = `sgsched-${Date.now()}`;
    const connection = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const queues = {
      reminders: new Queue('reminders', { connection, prefix }),
      budget: new Queue('budget', { connection, prefix }),
      notifications: new Queue('notifications', { connection, prefix }),
    };
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
