import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { CalculateFeeUseCase, ReconcileFundUseCase } from '../../libs/funds/src';
import { awaitingDecision, createFund, eventually, SIGNED } from '../support/funds';
import { reportAnswers } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';
import { TestClock } from '../support/test-clock';

/**
 * Money and its queued jobs on real PostgreSQL, Redis and SMTP: the management fee job, the budget
 * job's threshold alerts, and the checks before a payment is released.
 */
describe('money and queued jobs', () => {
  let s: TestStack;
  let applicant: TestUser;
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    s = await TestStack.start({ clock });
    applicant = await s.user('applicant');
  });

  afterAll(async () => {
    await s?.stop();
  });

  const feeEntries = (fundId: string): Promise<{ kind: string; amount_pence: number }[]> =>
    s.ds.query(
      `SELECT kind, amount_pence FROM ledger_entries WHERE fund_id = $1 AND kind IN ('fee', 'fee_reversal') ORDER BY id`,
      [fundId],
    );
  const storedFee = async (fundId: string): Promise<number> =>
    (await s.ds.query(`SELECT fee_pence FROM funds WHERE id = $1`, [fundId]))[0].fee_pence;
  const act = (token: string, id: string, action: string, body: object = {}) =>
    s.request('POST', `/api/v1/applications/${id}/actions/${action}`, token, body);

  it('posts the pilot fund’s £4,500 fee once, however many times the fee job runs, concurrently or not', async () => {
    const fund = await createFund(s);
    const fees = s.worker!.get<Queue>(getQueueToken('fees'));
    const events = new QueueEvents('fees', { connection: fees.opts.connection, prefix: fees.opts.prefix });
    await events.waitUntilReady();
    try {
      // Five runs through the real queue and worker, then five at once in process.
      const jobs = await fees.addBulk(
        Array.from({ length: 5 }, (_, i) => ({
          name: 'calculate-fee',
          data: { fundId: fund.id },
          opts: { jobId: `fee-test-${fund.id}-${i}` },
        })),
      );
      await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 20_000)));
      await Promise.all(Array.from({ length: 5 }, () => s.worker!.get(CalculateFeeUseCase).execute(fund.id)));
    } finally {
      await events.close();
    }
    expect(await feeEntries(fund.id)).toEqual([{ kind: 'fee', amount_pence: 450_000 }]);
    expect(await storedFee(fund.id)).toBe(450_000);
    const statement = await s.request('GET', `/api/v1/funds/${fund.id}/fee-statement`, fund.officer.token);
    expect(statement.status).toBe(200);
    expect(statement.body.totalPence).toBe(450_000);
    expect(statement.body.periods).toHaveLength(1);
    expect(statement.body.periods[0].shares).toEqual([
      {
        partner: fund.definition.managingOrganisation.slug,
        name: fund.definition.managingOrganisation.name,
        sharePence: 450_000,
      },
    ]);
    expect((await s.request('GET', `/api/v1/funds/${fund.id}/fee-statement`, applicant.token)).status).toBe(403);
  });

  it('on an awarded basis the fee follows an approval and a later decline to the penny, and splits by shares', async () => {
    const d = s.pilotDefinition();
    const fund = await createFund(s, {
      feeBasis: 'awarded',
      feeShares: [{ partner: d.partners[0].slug, basisPoints: 2500 }],
      partners: d.partners,
      managingOrganisation: d.managingOrganisation,
      funder: d.funder,
      slug: d.slug,
    });
    expect(await feeEntries(fund.id)).toEqual([]);
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 433_333 }]);
    expect((await act(fund.panel.token, app.id, 'approve', { amountPence: 433_333 })).status).toBe(200);
    // 15% of £4,333.33 is £649.99 (rounded down: a fee is never over-charged).
    await eventually(
      () => storedFee(fund.id),
      (v) => v === 64_999,
    );
    expect((await act(applicant.token, app.id, 'decline-offer', { reason: 'We found other funding' })).status).toBe(
      200,
    );
    await eventually(
      () => storedFee(fund.id),
      (v) => v === 0,
    );
    expect(await feeEntries(fund.id)).toEqual([
      { kind: 'fee', amount_pence: 64_999 },
      { kind: 'fee_reversal', amount_pence: 64_999 },
    ]);
    // Jobs that run again change nothing.
    await s.worker!.get(CalculateFeeUseCase).execute(fund.id);
    expect(await feeEntries(fund.id)).toHaveLength(2);
    const statement = await s.request('GET', `/api/v1/funds/${fund.id}/fee-statement`, fund.officer.token);
    expect(statement.body.periods[0]).toMatchObject({ chargedPence: 64_999, reversedPence: 64_999, netPence: 0 });
  });

  it('refuses a fee share for someone who is not a partner, and changes nothing', async () => {
    const admin = await s.user('admin');
    const d: Record<string, any> = {
      ...s.pilotDefinition(),
      feeShares: [{ partner: 'somebody-else', basisPoints: 1000 }],
    };
    const r = await s.request('POST', '/api/v1/funds', admin.token, d);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'feeShares' })]));
    expect(await s.ds.query('SELECT 1 FROM funds WHERE slug = $1', [d.slug])).toEqual([]);
  });

  it('alerts the fund’s managers once as grants reach 75%, 90% and 100% of the grantable £25,500', async () => {
    const fund = await createFund(s);
    const subjects = () =>
      s.smtp
        .to(fund.officer.email)
        .map((m) => m.subject)
        .filter((t) => t.includes('of the grantable amount'));
    // £20,000 (78%), then £3,000 (90.2%), then £2,500 (100%): four, one and one organisations.
    const apps = await awaitingDecision(s, fund.id, applicant, [
      { amountPence: 500_000 },
      { amountPence: 500_000 },
      { amountPence: 500_000 },
      { amountPence: 500_000 },
      { amountPence: 300_000 },
      { amountPence: 250_000 },
    ]);
    for (const a of apps.slice(0, 4))
      expect((await act(fund.panel.token, a.id, 'approve', { amountPence: a.amountPence })).status).toBe(200);
    await s.smtp.waitFor(() => subjects().length >= 1);
    expect((await act(fund.panel.token, apps[4].id, 'approve', { amountPence: 300_000 })).status).toBe(200);
    await s.smtp.waitFor(() => subjects().length >= 2);
    expect((await act(fund.panel.token, apps[5].id, 'approve', { amountPence: 250_000 })).status).toBe(200);
    await s.smtp.waitFor(() => subjects().length >= 3);
    // The nightly run and repeats of the per-change job find every threshold already alerted.
    for (let i = 0; i < 3; i++)
      expect((await s.worker!.get(ReconcileFundUseCase).execute(fund.id))?.alerted).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(subjects().sort()).toEqual([
      `${fund.definition.name}: grants have reached 100% of the grantable amount`,
      `${fund.definition.name}: grants have reached 75% of the grantable amount`,
      `${fund.definition.name}: grants have reached 90% of the grantable amount`,
    ]);
    const body = s.smtp.to(fund.officer.email).find((m) => m.subject.includes('75%'))!.text;
    expect(body).toContain('£25,500.00');
    expect(
      await s.ds.query(`SELECT threshold_bp FROM fund_alerts WHERE fund_id = $1 ORDER BY threshold_bp`, [fund.id]),
    ).toEqual([{ threshold_bp: 7500 }, { threshold_bp: 9000 }, { threshold_bp: 10000 }]);
  });

  it('reports a stored balance that differs from the ledger, once a day, and never fixes it silently', async () => {
    const fund = await createFund(s);
    // A bug elsewhere (simulated): the stored summary gains a penny the ledger does not have.
    await s.ds.query(`UPDATE funds SET committed_pence = committed_pence + 1 WHERE id = $1`, [fund.id]);
    const reconcile = s.worker!.get(ReconcileFundUseCase);
    const first = await reconcile.execute(fund.id);
    expect(first?.drift).toEqual({ committedPence: 1 });
    expect((await reconcile.execute(fund.id))?.drift).toEqual({ committedPence: 1 });
    expect(await s.ds.query(`SELECT committed_pence FROM funds WHERE id = $1`, [fund.id])).toEqual([
      { committed_pence: 1 },
    ]);
    await s.smtp.waitFor(() =>
      s.smtp.to(fund.officer.email).some((m) => m.subject.includes('do not match its ledger')),
    );
    await new Promise((r) => setTimeout(r, 500));
    const alerts = s.smtp.to(fund.officer.email).filter((m) => m.subject.includes('do not match its ledger'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].text).toContain('committedPence differs by £0.01');
    await s.ds.query(`UPDATE funds SET committed_pence = committed_pence - 1 WHERE id = $1`, [fund.id]);
  });

  it('refuses a payment while a condition holding up payments is open, then releases it once met', async () => {
    const fund = await createFund(s);
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 300_000 }]);
    const approved = await act(fund.panel.token, app.id, 'approve', {
      amountPence: 300_000,
      conditionDetails: [
        { text: 'Send the signed safeguarding policy', blocks: 'payments', evidenceRequired: 'The policy' },
      ],
    });
    expect(approved.status).toBe(200);
    // A condition on payments lets the grant start.
    expect((await act(applicant.token, app.id, 'accept-offer', SIGNED)).body.application).toMatchObject({
      state: 'active',
    });
    const view = (await s.request('GET', `/api/v1/applications/${app.id}`, fund.officer.token)).body;
    expect(view.allowedActions).not.toContain('release-payment');
    const refused = await act(fund.officer.token, app.id, 'release-payment', {
      paymentId: view.payments[0].id,
      reference: 'BACS-1',
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'conditions_unmet',
      detail: expect.stringContaining('safeguarding policy'),
    });
    const run = await s.request('GET', `/api/v1/funds/${fund.id}/payment-run`, fund.officer.token);
    expect(run.body).toMatchObject({
      totalPence: 300_000,
      releasablePence: 0,
      lines: [{ paymentId: view.payments[0].id, heldBecause: ['condition open: Send the signed safeguarding policy'] }],
    });
    const csv = await s.request('GET', `/api/v1/funds/${fund.id}/payment-run.csv`, fund.officer.token);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain('3000.00');
    expect(csv.body).toContain('condition open: Send the signed safeguarding policy');
    expect((await s.request('GET', `/api/v1/funds/${fund.id}/payment-run.csv`, applicant.token)).status).toBe(403);
    expect(await s.ds.query(`SELECT disbursed_pence FROM funds WHERE id = $1`, [fund.id])).toEqual([
      { disbursed_pence: 0 },
    ]);

    const [condition] = (await s.request('GET', `/api/v1/applications/${app.id}/conditions`, fund.officer.token)).body
      .items;
    expect(
      (
        await s.request('POST', `/api/v1/applications/${app.id}/conditions/${condition.id}/met`, fund.officer.token, {
          note: 'Policy received and read',
        })
      ).status,
    ).toBe(200);
    const paid = await act(fund.officer.token, app.id, 'release-payment', {
      paymentId: view.payments[0].id,
      reference: 'BACS-1',
    });
    expect(paid.status).toBe(200);
    expect(await s.ds.query(`SELECT disbursed_pence FROM funds WHERE id = $1`, [fund.id])).toEqual([
      { disbursed_pence: 300_000 },
    ]);
  });

  it('refuses a payment while a report is overdue; pays the second tranche only after the interim report is accepted', async () => {
    clock.set(new Date());
    const fund = await createFund(s, {
      slug: `split-${randomBytes(4).toString('hex')}`,
      paymentSchedule: [
        { percent: 50, trigger: 'on_acceptance' },
        { percent: 50, trigger: 'on_interim_report_accepted' },
      ],
    });
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 400_001 }]);
    expect((await act(fund.panel.token, app.id, 'approve', { amountPence: 400_001 })).status).toBe(200);
    const active = (await act(applicant.token, app.id, 'accept-offer', SIGNED)).body.application;
    expect(active.state).toBe('active');
    const grant = (await s.request('GET', `/api/v1/applications/${app.id}`, fund.officer.token)).body;
    expect(grant.payments.map((p: any) => [p.amountPence, p.state, p.trigger])).toEqual([
      [200_000, 'scheduled', 'on_acceptance'],
      [200_001, 'pending', 'on_interim_report_accepted'],
    ]);
    const interim = grant.reports.find((r: any) => r.kind === 'interim');
    // The officer never released the first tranche; the interim report is now a day late.
    const dayAfterDue = new Date(`${interim.dueOn}T12:00:00Z`);
    dayAfterDue.setUTCDate(dayAfterDue.getUTCDate() + 1);
    clock.set(dayAfterDue);
    const refused = await act(fund.officer.token, app.id, 'release-payment', {
      paymentId: grant.payments[0].id,
      reference: 'BACS-2',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'report_overdue',
      detail: expect.stringContaining('interim report is overdue'),
    });
    expect(
      (await s.request('GET', `/api/v1/funds/${fund.id}/payment-run`, fund.officer.token)).body.lines[0].heldBecause,
    ).toEqual(['interim report overdue']);

    expect(
      (
        await s.request('PUT', `/api/v1/applications/${app.id}/reports/${interim.id}`, applicant.token, {
          answers: reportAnswers(150_000),
        })
      ).status,
    ).toBe(200);
    expect((await act(applicant.token, app.id, 'submit-report', { reportId: interim.id })).status).toBe(200);
    expect(
      (
        await act(fund.officer.token, app.id, 'release-payment', {
          paymentId: grant.payments[0].id,
          reference: 'BACS-2',
        })
      ).status,
    ).toBe(200);
    const early = await act(fund.officer.token, app.id, 'release-payment', {
      paymentId: grant.payments[1].id,
      reference: 'BACS-3',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('payment_not_scheduled');
    expect((await act(fund.officer.token, app.id, 'accept-report', { reportId: interim.id })).status).toBe(200);
    expect(
      (
        await act(fund.officer.token, app.id, 'release-payment', {
          paymentId: grant.payments[1].id,
          reference: 'BACS-3',
        })
      ).status,
    ).toBe(200);
    const [f] = await s.ds.query(`SELECT committed_pence, disbursed_pence FROM funds WHERE id = $1`, [fund.id]);
    expect(f).toEqual({ committed_pence: 0, disbursed_pence: 400_001 });
    clock.set(new Date());
  });
});
