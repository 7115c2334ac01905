import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { awaitingDecision, createFund, eventually } from '../support/funds';
import { TestStack } from '../support/stack';

/** An email claimed by a worker that then died is neither lost nor sent twice. */
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
    const [event] = await s.ds.query(`INSERT INTO events (fund_id, application_id, action, actor_role) VALUES ($1, $2, 'approve', 'system') RETURNING id`, [fund.id, app.id]);
    // The row as a worker leaves it when it dies after claiming: 'sending', claimed a moment ago.
    const [n] = await s.ds.query(
      `INSERT INTO notifications (dedupe_key, template, application_id, event_id, recipient_user_id, status, attempts, claimed_at)
       VALUES ($1, 'award-offered', $2, $3, $4, 'sending', 1, now()) RETURNING id`,
      [`test-dead-claim-${app.id}`, app.id, event.id, applicant.userId],
    );
    const queue = s.worker!.get<Queue>(getQueueToken('notifications'));
    const job = await queue.add('send-email', { notificationId: n.id }, { jobId: `dead-claim-${n.id}` });
    // The job does not complete as if all were well: it waits for the lease to run out.
    await eventually(() => job.getState(), (state) => state === 'delayed');
    const delayed = (await queue.getJob(job.id!))!;
    expect(delayed.delay).toBeGreaterThan(4 * 60 * 1000);
    expect(s.smtp.to(applicant.email)).toHaveLength(0);
    // Five minutes later (the lease passes): the job runs again and the email goes, once.
    await s.ds.query(`UPDATE notifications SET claimed_at = now() - interval '6 minutes' WHERE id = $1`, [n.id]);
    await delayed.promote();
    await s.smtp.waitFor(() => s.smtp.to(applicant.email).length >= 1);
    await eventually(() => job.getState(), (state) => state === 'completed');
    expect(s.smtp.to(applicant.email)).toHaveLength(1);
    expect(await s.ds.query('SELECT status, attempts FROM notifications WHERE id = $1', [n.id])).toEqual([{ status: 'sent', attempts: 2 }]);
  });
});
