import { getQueueToken } from '@nestjs/bullmq';
import { SendEmailUseCase } from '@sg/notifications';
import { Queue } from 'bullmq';
import { awaitingDecision, createFund, eventually } from '../support/funds';
import { TestStack } from '../support/stack';

/** An email claimed by a worker that then died is neither lost nor sent twice; nor is one claimed alongside others. */
describe('email delivery after a worker dies holding a claim', () => {
  let s: TestStack;

  beforeAll(async () => {
    s = await TestStack.start();
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('waits out the dead worker’s lease, then sends the email once', async () => {
    const applicant = await s.user('applicant');
    const fund = await createFund(s);
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 100_000 }]);
    const [event] = await s.ds.query(
      `INSERT INTO events (fund_id, application_id, action, actor_role) VALUES ($1, $2, 'approve', 'system') RETURNING id`,
      [fund.id, app.id],
    );
    // The row as a worker leaves it when it dies after claiming: 'sending', claimed a moment ago.
    const [n] = await s.ds.query(
      `INSERT INTO notifications (dedupe_key, template, application_id, event_id, recipient_user_id, status, attempts, claimed_at)
       VALUES ($1, 'award-offered', $2, $3, $4, 'sending', 1, now()) RETURNING id`,
      [`test-dead-claim-${app.id}`, app.id, event.id, applicant.userId],
    );
    const queue = s.worker!.get<Queue>(getQueueToken('notifications'));
    const job = await queue.add('send-email', { notificationId: n.id }, { jobId: `dead-claim-${n.id}` });
    // The job does not complete as if all were well: it waits for the lease to run out.
    await eventually(
      () => job.getState(),
      (state) => state === 'delayed',
    );
    const delayed = (await queue.getJob(job.id!))!;
    expect(delayed.delay).toBeGreaterThan(4 * 60 * 1000);
    expect(s.smtp.to(applicant.email)).toHaveLength(0);
    // Five minutes later (the lease passes): the job runs again and the email goes, once.
    await s.ds.query(`UPDATE notifications SET claimed_at = now() - interval '6 minutes' WHERE id = $1`, [n.id]);
    await delayed.promote();
    await s.smtp.waitFor(() => s.smtp.to(applicant.email).length >= 1);
    await eventually(
      () => job.getState(),
      (state) => state === 'completed',
    );
    expect(s.smtp.to(applicant.email)).toHaveLength(1);
    expect(await s.ds.query('SELECT status, attempts FROM notifications WHERE id = $1', [n.id])).toEqual([
      { status: 'sent', attempts: 2 },
    ]);
  });

  it('sends emails asked for at once (claimed and marked in shared statements) once each, the same row asked for twice included', async () => {
    const applicant = await s.user('applicant');
    const fund = await createFund(s);
    const apps = await awaitingDecision(s, fund.id, applicant, [
      { amountPence: 100_000 },
      { amountPence: 200_000 },
      { amountPence: 300_000 },
    ]);
    const ids: number[] = [];
    for (const [i, app] of apps.entries()) {
      const [event] = await s.ds.query(
        `INSERT INTO events (fund_id, application_id, action, actor_role) VALUES ($1, $2, 'approve', 'system') RETURNING id`,
        [fund.id, app.id],
      );
      const [n] = await s.ds.query(
        `INSERT INTO notifications (dedupe_key, template, application_id, event_id, recipient_user_id) VALUES ($1, 'award-offered', $2, $3, $4) RETURNING id`,
        [`test-batched-${i}-${app.id}`, app.id, event.id, applicant.userId],
      );
      ids.push(Number(n.id));
    }
    // No jobs: the use case is called directly, as concurrent jobs call it. Calls made together
    // share one claim, twins included: each twin must find its row in flight, not send it again.
    const sendEmail = s.worker!.get(SendEmailUseCase);
    const outcomes = await Promise.all([...ids, ids[0], ids[2]].map((id) => sendEmail.execute(id)));
    expect(outcomes.slice(0, 3)).toEqual(['sent', 'sent', 'sent']);
    expect(outcomes.slice(3).every((o) => o === 'in_flight' || o === 'already_sent')).toBe(true);
    await s.smtp.waitFor(() => s.smtp.to(applicant.email).length >= 3);
    await new Promise((r) => setTimeout(r, 500)); // time for a repeat to arrive
    const got = s.smtp.to(applicant.email);
    expect(got.map((m) => m.messageId).sort()).toEqual(
      ids.map((id) => expect.stringMatching(new RegExp(`^<notification-${id}@`))),
    );
    // Each email is its own application's: the data read with the claim went to the right row.
    for (const [i, id] of ids.entries()) {
      const [app] = await s.ds.query('SELECT reference FROM applications WHERE id = $1', [apps[i].id]);
      const mail = got.find((m) => m.messageId.startsWith(`<notification-${id}@`))!;
      expect(mail.subject).toContain(app.reference);
      expect(mail.text).toContain(`/applications/${apps[i].id}`);
    }
    const rows = await s.ds.query(
      'SELECT id, status, attempts, message_id FROM notifications WHERE id = ANY ($1::bigint[]) ORDER BY id',
      [ids],
    );
    expect(rows.map((r: { status: string; attempts: number }) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(
      rows.every((r: { id: number; message_id: string }) => r.message_id.startsWith(`<notification-${r.id}@`)),
    ).toBe(true);
  });
});
