import { Browser, BrowserContext, Page } from 'playwright-core';
import { Accounts } from '../../libs/identity/src/accounts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { awaitingDecision, createFund, SIGNED, TestFund } from '../support/funds';
import { reportAnswers } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

/**
 * Monitoring and close-out in Debian's Chromium: the grantee fills in the interim report in the
 * portal (a table that does not add up is refused), the officer returns it with a comment, the
 * grantee corrects and resends it, the officer accepts it; the final report is accepted, the
 * underspend comes back, the grant closes, and the ledger explains every penny.
 */
describe('monitoring reports and close-out in a real browser', () => {
  let s: TestStack;
  let browser: Browser;
  let fund: TestFund;
  let applicant: TestUser;
  let appId: string;
  const password = 'a long enough passphrase';
  const contexts: BrowserContext[] = [];

  const act = async (who: TestUser, action: string, body: object = {}) => {
    const r = await s.request('POST', `/api/v1/applications/${appId}/actions/${action}`, who.token, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.application;
  };

  async function signedIn(who: TestUser): Promise<Page> {
    await s.api.get(Accounts).setVerifiedPassword(who.userId, password);
    const context = await browser.newContext({ baseURL: s.baseUrl, viewport: { width: 1100, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(who.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  async function check(page: Page, name: string) {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
  }

  /** Every equality table says "not known" for all twelve people except ethnicity, filled as given. */
  async function fillReport(page: Page, ethnicity: Record<string, number>) {
    await page.locator('#narrative').fill('Twelve weekly sessions in Urdu and Punjabi; a drop-in for advice.');
    await page.locator('#people_supported').fill('12');
    await page.locator('#sessions_delivered').fill('12');
    await page.locator('#spend_to_date').fill('2000');
    await page.locator('#spend_lines-item-0').fill('Room hire and interpreters');
    await page.locator('#spend_lines-amount-0').fill('2000');
    await page.locator('#referrals-commissioned_da_services-out').fill('3');
    await page.locator('#referrals-commissioned_da_services-in').fill('1');
    await page.locator('#referrals-commissioned_da_services-cost').fill('45.50');
    await page.locator('#referrals-marac-out').fill('1');
    await page.locator('#outcomes-feel_safe-people').fill('9');
    for (const [row, n] of Object.entries(ethnicity)) await page.locator(`#ethnicity-${row}-count`).fill(String(n));
    for (const table of [
      'sex',
      'age_band',
      'disability',
      'sexual_orientation',
      'religion',
      'pregnancy_maternity',
      'gender_reassignment',
      'first_language',
      'nrpf',
    ]) {
      await page.locator(`#${table}-not_known-count`).fill('12');
    }
    await page.locator('#safeguarding_raised').fill('2');
    await page.locator('#safeguarding_escalated').fill('1');
  }

  beforeAll(async () => {
    s = await TestStack.start();
    fund = await createFund(s);
    applicant = await s.user('applicant');
    [{ id: appId }] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 400_000 }]);
    await act(fund.panel, 'approve', { amountPence: 400_000 });
    await act(applicant, 'accept-offer', SIGNED);
    const grant = (await s.request('GET', `/api/v1/applications/${appId}`, fund.officer.token)).body;
    await act(fund.officer, 'release-payment', { paymentId: grant.payments[0].id, reference: 'BACS-0001' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.stop();
  });

  it('takes the interim report from the portal through a return to acceptance, then the final report, the underspend and the close', async () => {
    const grantee = await signedIn(applicant);
    await grantee.goto(`/applications/${appId}`);
    expect(await grantee.locator('#reports').innerText()).toMatch(
      /Interim monitoring report[\s\S]*Due[\s\S]*Final monitoring report/,
    );
    await grantee.getByRole('link', { name: 'Fill in the report Interim monitoring report' }).click();
    expect(await grantee.locator('h1').innerText()).toBe('Interim monitoring report');
    expect(await grantee.locator('.govuk-warning-text').first().innerText()).toContain(
      'Never write anything that could identify a person',
    );

    // Ethnicity adds up to 11 of the 12 people: refused, with the number shown back as typed.
    await fillReport(grantee, { asian_pakistani: 7, asian_indian: 3, not_known: 1 });
    await grantee.locator('#declaration').check();
    await grantee.getByRole('button', { name: 'Send the report' }).click();
    const summary = await grantee.locator('.govuk-error-summary').innerText();
    expect(summary).toContain('"Ethnicity" adds up to 11 but "How many people did you support in this period?" is 12');
    expect(await grantee.locator('#ethnicity-asian_indian-count').inputValue()).toBe('3');
    await check(grantee, '43-report-error');
    await grantee.locator('.govuk-error-summary a').first().click();
    await grantee.locator('#ethnicity-not_known-count').fill('2');
    await grantee.getByRole('button', { name: 'Save and come back later' }).click();
    expect(await grantee.getByRole('alert').innerText()).toContain('Your report is saved');
    await check(grantee, '44-report-form');
    await grantee.getByRole('button', { name: 'Send the report' }).click();
    expect(await grantee.locator('.govuk-error-summary').innerText()).toContain(
      'Confirm the statements before you send the report',
    );
    await grantee.locator('#declaration').check();
    await grantee.getByRole('button', { name: 'Send the report' }).click();
    expect(await grantee.getByRole('alert').innerText()).toContain('Your report is sent to the grant team');

    // The officer reads it on the desk and returns it: a comment is required.
    const officer = await signedIn(fund.officer);
    await officer.goto(`/desk/funds/${fund.id}`);
    expect(await officer.locator('main').innerText()).toContain('Report to review');
    await officer.goto(`/desk/applications/${appId}`);
    expect(await officer.locator('main').innerText()).toContain('Sent, waiting for review');
    await officer.getByText("The report's answers").first().click();
    expect(await officer.locator('.sg-report').first().innerText()).toContain(
      'Commissioned domestic abuse services: Referred out 3, Referred in 1, Cost to your group £45.50',
    );
    await officer.getByRole('button', { name: 'Return the report with comments' }).click();
    expect(await officer.locator('.govuk-error-summary').innerText()).toContain('Write what needs to change');
    await officer
      .getByLabel('What needs to change? The grantee will see this.')
      .fill('Please add the Police referrals you mentioned at the visit.');
    await officer.getByRole('button', { name: 'Return the report with comments' }).click();
    await check(officer, '45-report-returned-desk');

    await grantee.goto(`/applications/${appId}`);
    await grantee.getByRole('link', { name: 'Fill in the report Interim monitoring report' }).click();
    expect(await grantee.locator('#report-comments').innerText()).toBe(
      'Please add the Police referrals you mentioned at the visit.',
    );
    expect(await grantee.locator('#people_supported').inputValue()).toBe('12');
    await grantee.locator('#referrals-police-out').fill('2');
    await grantee.locator('#declaration').check();
    await grantee.getByRole('button', { name: 'Send the report' }).click();
    expect(await grantee.getByRole('alert').innerText()).toContain('Your report is sent');

    await officer.goto(`/desk/applications/${appId}`);
    await officer.getByRole('button', { name: 'Accept the report' }).click();
    const reports = (await s.request('GET', `/api/v1/applications/${appId}/reports`, fund.officer.token)).body.items;
    expect(
      reports.map((r: { kind: string; state: string; timesReturned: number }) => [r.kind, r.state, r.timesReturned]),
    ).toEqual([
      ['interim', 'accepted', 1],
      ['final', 'due', 0],
    ]);
    expect(reports[0].answers.referrals).toEqual({
      commissioned_da_services: { out: 3, in: 1, cost: 4550 },
      marac: { out: 1 },
      police: { out: 2 },
    });

    // The final report (through the API this time): £3,800 of the £4,000 paid was spent.
    expect(
      (
        await s.request('PUT', `/api/v1/applications/${appId}/reports/${reports[1].id}`, applicant.token, {
          answers: reportAnswers(380_000),
        })
      ).status,
    ).toBe(200);
    await act(applicant, 'submit-report', { reportId: reports[1].id });
    await officer.goto(`/desk/applications/${appId}`);
    await officer.getByRole('button', { name: 'Accept the report' }).click();
    expect(await officer.locator('#application-status').innerText()).toBe(await stateLabel('closing'));
    // The underspend is offered as the amount to record; the close waits for it.
    expect(await officer.getByRole('button', { name: 'Close the grant' }).count()).toBe(0);
    expect(await officer.getByLabel('Amount returned').inputValue()).toBe('200');
    await officer.getByLabel('Finance reference for the money returned').fill('RET-0001');
    await officer.getByRole('button', { name: 'Record the underspend returned' }).click();
    await check(officer, '46-close-out');
    await officer.getByRole('button', { name: 'Close the grant' }).click();
    expect(await officer.locator('#application-status').innerText()).toBe(await stateLabel('closed'));

    // The ledger explains every penny: allocation − fee − disbursed + returned = what is left.
    const ledger: { kind: string; amountPence: number }[] = (
      await s.request('GET', `/api/v1/funds/${fund.id}/ledger`, fund.officer.token)
    ).body.items;
    const sum = (kind: string) => ledger.filter((e) => e.kind === kind).reduce((a, e) => a + e.amountPence, 0);
    expect([
      sum('allocation'),
      sum('fee'),
      sum('commitment'),
      sum('release'),
      sum('disbursement'),
      sum('return'),
    ]).toEqual([3_000_000, 450_000, 400_000, 0, 400_000, 20_000]);
    const money = (await s.request('GET', `/api/v1/funds/${fund.id}`, fund.officer.token)).body.money;
    expect(money).toMatchObject({ committedPence: 0, disbursedPence: 400_000, returnedPence: 20_000 });
    expect(sum('allocation') - sum('fee') - sum('disbursement') + sum('return')).toBe(money.availablePence);
    expect(money.availablePence).toBe(2_170_000);
  });

  async function stateLabel(state: string): Promise<string> {
    const { Messages } = await import('../../apps/api/src/portal/messages');
    return new Messages().t(`state.${state}`);
  }
});
