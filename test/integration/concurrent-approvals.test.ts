import {
  awaitingDecision as applicationsAwaitingDecision,
  createFund,
  fundMoney as fundMoneyOf,
} from '../support/funds';
import { TestStack, TestUser } from '../support/stack';

/**
 * Approvals fired at the pilot fund all at once, over HTTP, on real PostgreSQL: the fund row's
 * lock serialises them, so the total committed never passes £25,500, no organisation passes
 * £5,000, and every approval that fits is made.
 */
describe('simultaneous approvals on the pilot fund', () => {
  let s: TestStack;
  let panel: TestUser;
  let applicant: TestUser;

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    applicant = await s.user('applicant');
  });

  afterAll(async () => {
    await s?.stop();
  });

  async function pilotFund(): Promise<string> {
    const fund = await createFund(s);
    panel = fund.panel;
    return fund.id;
  }

  const awaitingDecision = (fundId: string, requests: { organisation: number; amountPence: number }[]) =>
    applicationsAwaitingDecision(s, fundId, applicant, requests);

  const approveAll = (apps: { id: string; amountPence: number }[]) =>
    Promise.all(
      apps.map((a) =>
        s.request('POST', `/api/v1/applications/${a.id}/actions/approve`, panel.token, { amountPence: a.amountPence }),
      ),
    );

  const fundMoney = (fundId: string) => fundMoneyOf(s.ds, fundId);

  it('50 approvals that overrun the fund and the cap: no overspend, and every refusal was necessary', async () => {
    const fundId = await pilotFund();
    // 50 requests from 15 organisations totalling £85,000 against £25,500 grantable and £5,000 each.
    const amounts = [150_000, 250_000, 100_000, 300_000, 50_000];
    const apps = await awaitingDecision(
      fundId,
      Array.from({ length: 50 }, (_, i) => ({ organisation: i % 15, amountPence: amounts[i % 5] })),
    );
    const results = await approveAll(apps);

    const money = await fundMoney(fundId);
    const approved = apps.filter((_, i) => results[i].status === 200);
    const refused = apps.map((a, i) => ({ ...a, r: results[i] })).filter((x) => x.r.status !== 200);
    const approvedTotal = approved.reduce((sum, a) => sum + a.amountPence, 0);

    expect(results.every((r) => r.status === 200 || r.status === 422)).toBe(true);
    expect(money.committed).toBeLessThanOrEqual(2_550_000);
    expect(money.committed).toBe(approvedTotal);
    expect(money.ledgerCommitted).toBe(approvedTotal);
    for (const awarded of money.perOrg.values()) expect(awarded).toBeLessThanOrEqual(500_000);

    // Every refusal was necessary: in the final state (the fullest the fund ever was) it still would not fit.
    const available = money.grantable - money.committed;
    for (const x of refused) {
      const headroom = 500_000 - (money.perOrg.get(x.organisationId) ?? 0);
      expect(x.r.body.code === 'exceeds_fund_available' || x.r.body.code === 'exceeds_organisation_cap').toBe(true);
      expect(x.amountPence > available || x.amountPence > headroom).toBe(true);
    }
    expect(approved.length).toBeGreaterThan(5);
    expect(refused.length).toBeGreaterThan(20);

    console.log(
      `concurrency: 50 approvals, ${approved.length} approved (£${approvedTotal / 100}), ${refused.filter((x) => x.r.body.code === 'exceeds_fund_available').length} refused for the fund, ` +
        `${refused.filter((x) => x.r.body.code === 'exceeds_organisation_cap').length} for the organisation cap; committed £${money.committed / 100} of £${money.grantable / 100}; ` +
        `largest organisation total £${Math.max(...money.perOrg.values()) / 100}`,
    );
  });

  it('50 approvals that all fit all succeed, together', async () => {
    const fundId = await pilotFund();
    const apps = await awaitingDecision(
      fundId,
      Array.from({ length: 50 }, (_, i) => ({ organisation: i, amountPence: 51_000 })),
    );
    const results = await approveAll(apps);
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const money = await fundMoney(fundId);
    expect(money.committed).toBe(2_550_000);
    expect(money.ledgerCommitted).toBe(2_550_000);
  });

  it('50 approvals from five organisations: each gets exactly as many as its £5,000 allows, whatever the order', async () => {
    const fundId = await pilotFund();
    // Ten £900 requests each: five fit under £5,000 (£4,500), the sixth would make £5,400. The fund never runs short.
    const apps = await awaitingDecision(
      fundId,
      Array.from({ length: 50 }, (_, i) => ({ organisation: i % 5, amountPence: 90_000 })),
    );
    const results = await approveAll(apps);
    expect(results.filter((r) => r.status === 200)).toHaveLength(25);
    expect(results.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual(
      Array(25).fill('exceeds_organisation_cap'),
    );
    const money = await fundMoney(fundId);
    expect([...money.perOrg.values()]).toEqual(Array(5).fill(450_000));
    expect(money.committed).toBe(2_250_000);
  });

  it('the same application approved ten times at once is approved once; the rest get 409 and change nothing', async () => {
    const fundId = await pilotFund();
    const [app] = await awaitingDecision(fundId, [{ organisation: 0, amountPence: 300_000 }]);
    const results = await approveAll(Array(10).fill(app));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    for (const r of results.filter((x) => x.status === 409))
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    const money = await fundMoney(fundId);
    expect(money.committed).toBe(300_000);
    const events = await s.ds.query(`SELECT count(*)::int AS n FROM events WHERE application_id = $1`, [app.id]);
    expect(events[0].n).toBe(1);
  });
});
