import { awaitingDecision, createFund, TestFund, fundMoney as fundMoneyOf } from '../support/funds';
import type { TestUser } from '../support/stack';
import { FaultStack } from './support/fault-stack';
import { sleep } from './support/services';

/**
 * Two API processes and two workers on one machine, against one PostgreSQL and one Redis, as a
 * load balancer would spread them: approvals fired at both APIs at once never overspend the fund
 * or pass an organisation's cap, and the emails from transitions on both APIs are sent exactly
 * once between the two workers (each API relays after its commits, each worker sweeps the outbox).
 */
describe('scale-out: two APIs and two workers', () => {
  let s: FaultStack;
  let applicant: TestUser;
  const funds: TestFund[] = [];

  beforeAll(async () => {
    s = await FaultStack.start({ tag: 'scale' });
    await Promise.all([s.startApi(), s.startApi()]);
    // Workers log each email they send (no address in the line), so the test can see both at work.
    await Promise.all([s.startWorker({ LOG_LEVEL: 'info' }), s.startWorker({ LOG_LEVEL: 'info' })]);
    applicant = await s.user('applicant');
  });

  afterAll(async () => {
    await s?.stop();
  });

  /** Each approval goes to the API the load balancer would pick: alternately the first and the second. */
  const approveAll = (fund: TestFund, apps: { id: string; amountPence: number }[]) =>
    Promise.all(
      apps.map((a, i) =>
        s.requestTo(i % 2, 'POST', `/api/v1/applications/${a.id}/actions/approve`, fund.panel.token, {
          amountPence: a.amountPence,
        }),
      ),
    );

  const fundMoney = (fundId: string) => fundMoneyOf(s.ds, fundId);

  it('50 approvals fired at both APIs at once: no overspend, no organisation over the cap, every refusal necessary', async () => {
    const fund = await createFund(s.asTestStack());
    funds.push(fund);
    // 50 requests from 15 organisations totalling £85,000 against £25,500 grantable and £5,000 each.
    const amounts = [150_000, 250_000, 100_000, 300_000, 50_000];
    const apps = await awaitingDecision(
      s.asTestStack(),
      fund.id,
      applicant,
      Array.from({ length: 50 }, (_, i) => ({ organisation: i % 15, amountPence: amounts[i % 5] })),
    );
    const results = await approveAll(fund, apps);

    const money = await fundMoney(fund.id);
    const approved = apps.filter((_, i) => results[i].status === 200);
    const refused = apps.map((a, i) => ({ ...a, r: results[i] })).filter((x) => x.r.status !== 200);
    const approvedTotal = approved.reduce((sum, a) => sum + a.amountPence, 0);
    expect(results.every((r) => r.status === 200 || r.status === 422)).toBe(true);
    expect(money.committed).toBeLessThanOrEqual(2_550_000);
    expect(money.committed).toBe(approvedTotal);
    expect(money.ledgerCommitted).toBe(approvedTotal);
    for (const awarded of money.perOrg.values()) expect(awarded).toBeLessThanOrEqual(500_000);
    const available = money.grantable - money.committed;
    for (const x of refused) {
      expect(['exceeds_fund_available', 'exceeds_organisation_cap']).toContain(x.r.body.code);
      expect(x.amountPence > available || x.amountPence > 500_000 - (money.perOrg.get(x.organisationId) ?? 0)).toBe(
        true,
      );
    }
    expect(approved.length).toBeGreaterThan(5);
    expect(refused.length).toBeGreaterThan(20);
    // Both APIs took part in the race: each answered its half with a decision (200 or 422, above).
    // Which of them won the money is the scheduler's choice (a faster approve lets one API fill the
    // fund alone), so it is reported, not asserted.
    const approvedBy = [0, 1].map((k) => approved.filter((a) => apps.indexOf(a) % 2 === k).length);
    console.log(
      `scale-out concurrency: 50 approvals over 2 APIs, ${approved.length} approved (${approvedBy.join(' + ')}; £${approvedTotal / 100}), ${refused.length} refused; ` +
        `committed £${money.committed / 100} of £${money.grantable / 100}; largest organisation total £${Math.max(...money.perOrg.values()) / 100}`,
    );
  });

  it('50 approvals from five organisations over both APIs: each gets exactly as many as its £5,000 allows', async () => {
    const fund = await createFund(s.asTestStack());
    funds.push(fund);
    const apps = await awaitingDecision(
      s.asTestStack(),
      fund.id,
      applicant,
      Array.from({ length: 50 }, (_, i) => ({ organisation: i % 5, amountPence: 90_000 })),
    );
    const results = await approveAll(fund, apps);
    expect(results.filter((r) => r.status === 200)).toHaveLength(25);
    expect(results.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual(
      Array(25).fill('exceeds_organisation_cap'),
    );
    const money = await fundMoney(fund.id);
    expect([...money.perOrg.values()]).toEqual(Array(5).fill(450_000));
    expect(money.committed).toBe(2_250_000);
  });

  it('the same application approved ten times at once through both APIs is approved once', async () => {
    const fund = await createFund(s.asTestStack());
    funds.push(fund);
    const [app] = await awaitingDecision(s.asTestStack(), fund.id, applicant, [
      { organisation: 0, amountPence: 300_000 },
    ]);
    const results = await approveAll(fund, Array(10).fill(app));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect((await fundMoney(fund.id)).committed).toBe(300_000);
    expect(await s.ds.query(`SELECT count(*)::int AS n FROM events WHERE application_id = $1`, [app.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('every email from transitions on both APIs is sent exactly once by the two workers', async () => {
    // Rejections through both APIs add to the offers above.
    const fund = await createFund(s.asTestStack());
    const apps = await awaitingDecision(
      s.asTestStack(),
      fund.id,
      applicant,
      Array.from({ length: 40 }, () => ({ amountPence: 10_000 })),
    );
    const results = await Promise.all(
      apps.map((a, i) =>
        s.requestTo(i % 2, 'POST', `/api/v1/applications/${a.id}/actions/reject`, fund.panel.token, {
          reason: 'Not this round',
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));

    const [{ decisions }] = await s.ds.query(
      `SELECT count(*)::int AS decisions FROM events WHERE action IN ('approve', 'reject')`,
    );
    const rows = await s.allSent();
    await sleep(2000); // time for any repeat to arrive
    const got = s.deliveries();
    // One email to the applicant per decision; the rest are budget alerts to the funds' officers.
    expect(await s.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE event_id IS NOT NULL`)).toEqual([
      { n: decisions },
    ]);
    expect([...got.keys()].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    expect(await s.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL`)).toEqual([{ n: 0 }]);
    expect(await s.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE attempts <> 1`)).toEqual([{ n: 0 }]);
    const sentBy = s.workers.map((w) => (w.output().match(/notification \d+ sent/g) ?? []).length);
    expect(sentBy.reduce((a, n) => a + n, 0)).toBe(rows.length);
    expect(sentBy.every((n) => n > 0)).toBe(true);
    console.log(
      `scale-out emails: ${rows.length} notifications (${decisions} decisions on 2 APIs, the rest budget alerts), ${got.size} emails, each once; sent by the workers ${sentBy.join(' + ')}`,
    );
  });
});
