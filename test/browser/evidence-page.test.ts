import { Browser, Page } from 'playwright-core';
import { Accounts } from '../../libs/identity/src/accounts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { awaitingDecision, createFund, SIGNED, TestFund } from '../support/funds';
import { TestStack, TestUser } from '../support/stack';

const NARRATIVE = 'Narrative-b41c: the circle met at the Thornaby community hub.';

/** `total` people spread over rows by weight (the first row takes the remainder), as a counts table. */
function spread(
  total: number,
  weights: Record<string, number>,
  column = 'count',
): Record<string, Record<string, number>> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const rows = Object.entries(weights).map(([row, w]) => [row, Math.floor((total * w) / sum)] as const);
  const rest = total - rows.reduce((a, [, n]) => a + n, 0);
  return Object.fromEntries(rows.map(([row, n], i) => [row, { [column]: n + (i === 0 ? rest : 0) }]));
}

/** One period's report: every equality table adds up to the people supported. */
function report(
  people: number,
  spendPence: number,
  mix: { ethnicity: Record<string, number>; language: Record<string, number> },
): Record<string, unknown> {
  return {
    narrative: NARRATIVE,
    people_supported: people,
    sessions_delivered: Math.round(people * 1.5),
    new_volunteers: Math.max(1, Math.round(people / 6)),
    safeguarding_raised: Math.round(people / 5),
    safeguarding_escalated: Math.round(people / 12),
    spend_to_date: spendPence,
    referrals: {
      commissioned_da_services: { out: Math.round(people / 3), in: Math.round(people / 6), cost: people * 450 },
      marac: { out: Math.round(people / 10), in: 0, cost: people * 120 },
      police: { out: Math.round(people / 8), in: 1, cost: people * 90 },
      health: { out: Math.round(people / 4), in: Math.round(people / 9), cost: people * 60 },
      housing: { out: Math.round(people / 7), in: 0, cost: people * 150 },
    },
    outcomes: {
      feel_safe: { people: Math.round(people * 0.8) },
      rebuild_lives: { people: Math.round(people * 0.4) },
      know_options: { people: Math.round(people * 0.9) },
      less_isolated: { people: Math.round(people * 0.7) },
      accessed_specialist: { people: Math.round(people * 0.3) },
      confidence_report: { people: Math.round(people * 0.25) },
    },
    ethnicity: spread(people, mix.ethnicity),
    sex: spread(people, { female: 11, male: 1 }),
    age_band: spread(people, { age_25_34: 4, age_35_44: 3, age_18_24: 2, age_45_54: 1 }),
    disability: spread(people, { no: 6, yes: 1, not_known: 1 }),
    sexual_orientation: spread(people, { not_known: 3, heterosexual: 1 }),
    religion: spread(people, { muslim: 5, christian: 2, none: 1, not_known: 1 }),
    pregnancy_maternity: spread(people, { no: 8, yes: 1 }),
    gender_reassignment: spread(people, { not_known: 1 }),
    first_language: spread(people, mix.language),
    nrpf: spread(people, { no: 3, yes: 1, not_known: 1 }),
  };
}

const SOUTH_ASIAN = {
  ethnicity: { asian_pakistani: 6, asian_indian: 2, asian_bangladeshi: 1 },
  language: { urdu: 4, punjabi: 2, english: 2, bengali: 1 },
};
const ROMA = { ethnicity: { white_roma: 5, white_other: 1 }, language: { romanian: 5, english: 1 } };
const ARAB_KURDISH = { ethnicity: { other_arab: 3, other_any: 2 }, language: { arabic: 3, kurdish: 2 } };
const AFRICAN = { ethnicity: { black_african: 4, black_other: 1 }, language: { english: 3, other: 2 } };

/**
 * The evidence dashboard and the pilot evaluation report in Debian's Chromium: six grants in four
 * areas, eight accepted reports, one overdue; the funder's viewer finds the fund on `/` and reads
 * the dashboard with small counts suppressed (and nothing else of the desk), and the fund's officer
 * prints the evaluation report for the commissioner.
 */
describe('the evidence dashboard and the evaluation report in a real browser', () => {
  let s: TestStack;
  let browser: Browser;
  let fund: TestFund;
  let applicant: TestUser, funder: TestUser;
  let grants: { id: string; organisationId: string }[];
  let organisationNames: string[];
  const password = 'the evidence passphrase';

  const act = async (token: string, id: string, action: string, body: object = {}) => {
    const r = await s.request('POST', `/api/v1/applications/${id}/actions/${action}`, token, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const accept = (applicationId: string, kind: 'interim' | 'final', answers: Record<string, unknown>) =>
    s.ds.query(
      `UPDATE monitoring_reports SET state = 'accepted', answers = $3, narrative = $4, spend_to_date_pence = $5, submitted_at = now(), reviewed_at = now()
       WHERE application_id = $1 AND kind = $2`,
      [applicationId, kind, JSON.stringify(answers), NARRATIVE, answers.spend_to_date],
    );

  async function signIn(email: string): Promise<Page> {
    const page = await (
      await browser.newContext({ baseURL: s.baseUrl, viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    return page;
  }

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    fund = await createFund(s);
    applicant = await s.user('applicant');
    funder = await s.user('funder_viewer', fund.definition.funder.slug);
    await s.api.get(Accounts).setVerifiedPassword(funder.userId, password);
    await s.api.get(Accounts).setVerifiedPassword(fund.officer.userId, password);

    const plan = [
      { area: 'E06000004', amount: 450_000 },
      { area: 'E06000004', amount: 300_000 },
      { area: 'E06000002', amount: 500_000 },
      { area: 'E06000002', amount: 250_000 },
      { area: 'E06000001', amount: 350_000 },
      { area: 'E06000003', amount: 400_000 },
    ];
    grants = await awaitingDecision(
      s,
      fund.id,
      applicant,
      plan.map((p) => ({ amountPence: p.amount })),
    );
    for (const [i, g] of grants.entries()) {
      await s.ds.query(`UPDATE applications SET area_code = $2 WHERE id = $1`, [g.id, plan[i].area]);
      await s.ds.query(`UPDATE organisations SET area_code = $2 WHERE id = $1`, [g.organisationId, plan[i].area]);
      await act(fund.panel.token, g.id, 'approve', { amountPence: plan[i].amount });
      await act(applicant.token, g.id, 'accept-offer', SIGNED);
      const payments = (await s.request('GET', `/api/v1/applications/${g.id}/payments`, fund.officer.token)).body
        .items as { id: string }[];
      await act(fund.officer.token, g.id, 'release-payment', { paymentId: payments[0].id, reference: `BACS-EV-${i}` });
    }
    organisationNames = (
      await s.ds.query(`SELECT name FROM organisations WHERE id = ANY ($1)`, [grants.map((g) => g.organisationId)])
    ).map((r: { name: string }) => r.name);
    await accept(grants[0].id, 'interim', report(18, 200_000, SOUTH_ASIAN));
    await accept(grants[0].id, 'final', report(14, 440_000, SOUTH_ASIAN));
    await accept(grants[1].id, 'interim', report(9, 120_000, ARAB_KURDISH));
    await accept(grants[2].id, 'interim', report(24, 260_000, ROMA));
    await accept(grants[2].id, 'final', report(16, 495_000, ROMA));
    await accept(grants[3].id, 'interim', report(6, 90_000, AFRICAN));
    await accept(grants[4].id, 'interim', report(11, 150_000, SOUTH_ASIAN));
    await accept(grants[4].id, 'final', report(8, 340_000, SOUTH_ASIAN));
    await s.ds.query(
      `UPDATE monitoring_reports SET due_on = '2026-06-30' WHERE application_id = $1 AND kind = 'interim'`,
      [grants[5].id],
    );

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the funder’s viewer their fund’s evidence with small counts as “fewer than 5”, and no way into the desk', async () => {
    const page = await signIn(funder.email);
    const evidenceLink = page.locator('#funder-funds').getByRole('link', { name: fund.definition.name, exact: true });
    expect(await evidenceLink.getAttribute('href')).toBe(`/desk/funds/${fund.id}/evidence`);
    await evidenceLink.click();
    expect(new URL(page.url()).pathname).toBe(`/desk/funds/${fund.id}/evidence`);
    expect(await page.locator('h1').innerText()).toBe(fund.definition.name);
    expect(await page.locator('#evidence-suppression-note').innerText()).toContain(
      'Counts under 5 are shown as "fewer than 5"',
    );

    // 106 people over eight reports; six grants and eight reports are counts too, under 5 or not.
    expect(await page.locator('#evidence-people').innerText()).toBe('106');
    expect(await page.locator('#evidence-grants').innerText()).toBe('6');
    expect(await page.locator('#evidence-overdue').innerText()).toBe('fewer than 5');
    const main = await page.locator('main').innerText();
    expect(main).toContain('fewer than 5');
    // Every cell reads a number of 5 or more, "fewer than 5" or "withheld".
    const cells = await page
      .locator(
        '#evidence-characteristics td, #evidence-referrals td:nth-child(2), #evidence-referrals td:nth-child(3), #evidence-outcomes td',
      )
      .allInnerTexts();
    expect(cells.length).toBeGreaterThan(60);
    for (const c of cells)
      expect(c === 'fewer than 5' || c === 'withheld' || Number(c.replace(/,/g, '')) >= 5).toBe(true);
    // Nothing of a grantee: no name, no narrative.
    expect(main).not.toContain('Narrative-b41c');
    expect(main).not.toContain('Thornaby community hub');
    for (const name of organisationNames) expect(main).not.toContain(name);
    expect(await page.getByRole('link', { name: "The fund's money" }).count()).toBe(0);

    // The area filter, without JavaScript: a form that GETs the page again.
    await page.getByLabel('Area').selectOption('E06000002');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(new URL(page.url()).search).toBe('?area=E06000002');
    expect(await page.locator('.govuk-caption-l').innerText()).toContain('Middlesbrough');
    expect(await page.locator('#evidence-people').innerText()).toBe('46');
    await page.getByLabel('Area').selectOption('');
    await page.getByRole('button', { name: 'Show' }).click();

    expect(await page.locator('script').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '41-evidence-dashboard');

    // The evaluation report is theirs too; the desk, applications, organisations and money are not.
    expect((await page.request.get(`/desk/funds/${fund.id}/evaluation`)).status()).toBe(200);
    for (const path of [
      `/desk/funds/${fund.id}`,
      `/desk/funds/${fund.id}/money`,
      `/desk/funds/${fund.id}/decisions`,
      `/desk/applications/${grants[0].id}`,
      `/applications/${grants[0].id}`,
      `/organisations/${grants[0].organisationId}`,
    ]) {
      expect([path, (await page.request.get(path, { maxRedirects: 0 })).status()]).toEqual([path, 404]);
    }
  });

  it('gives the fund’s officer a printable pilot evaluation report with every figure', async () => {
    const page = await signIn(fund.officer.email);
    await page.goto(`/desk/funds/${fund.id}`);
    await page.getByRole('link', { name: "Evidence from grantees' reports" }).click();
    expect(new URL(page.url()).pathname).toBe(`/desk/funds/${fund.id}/evidence`);
    expect(await page.locator('#evidence-suppression-note').count()).toBe(0);
    expect(await page.locator('#evidence-overdue').innerText()).toBe('1');
    await page.getByRole('link', { name: 'Pilot evaluation report (printable)' }).click();
    expect(new URL(page.url()).pathname).toBe(`/desk/funds/${fund.id}/evaluation`);

    expect(await page.locator('h1').innerText()).toBe(fund.definition.name);
    expect(await page.locator('#evaluation-prepared').innerText()).toContain(
      `by ${fund.definition.managingOrganisation.name} for ${fund.definition.funder.name}`,
    );
    const headings = await page.locator('main h2').allInnerTexts();
    expect(headings).toEqual([
      '1. The fund',
      '2. Money',
      '3. Reach',
      '4. Referrals between groups and commissioned services',
      '5. Outcomes',
      '6. Safeguarding',
      '7. Reports and grants',
      '8. How the figures were counted',
    ]);
    const figure = (id: string) => page.locator(`#${id}`).innerText();
    expect(await figure('evidence-total')).toBe('£30,000.00');
    expect(await figure('evidence-fee')).toBe('£4,500.00');
    expect(await figure('evidence-awarded')).toBe('£22,500.00');
    expect(await figure('evidence-disbursed')).toBe('£22,500.00');
    expect(await figure('evidence-returned')).toBe('£0.00');
    // Spend is each grant's latest report: 440,000 + 120,000 + 495,000 + 90,000 + 340,000 pence.
    expect(await figure('evidence-spend')).toBe('£14,850.00 (66% of awarded)');
    expect(await figure('evidence-people')).toBe('106');
    expect(await figure('evidence-overdue')).toBe('1');
    expect(await figure('evidence-referral-cost')).toBe(
      `£${((106 * (450 + 120 + 90 + 60 + 150)) / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`,
    );
    const sex = await page.locator('#evidence-sex tbody tr').allInnerTexts();
    expect(sex.map((r) => r.split('\t'))).toEqual([
      ['Female', '101'],
      ['Male', '5'],
      ['Not known or prefer not to say', '0'],
    ]);
    // The fund's own staff read every number: nothing suppressed.
    expect(
      await page.locator('.sg-suppressed, .sg-figure__value--suppressed, #evidence-suppression-note').count(),
    ).toBe(0);
    const main = await page.locator('main').innerText();
    expect(main).not.toContain('Narrative-b41c');
    for (const name of organisationNames) expect(main).not.toContain(name);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Printed: no header, navigation, back link or footer.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sg-header').isVisible()).toBe(false);
    expect(await page.locator('.govuk-back-link').isVisible()).toBe(false);
    expect(await page.locator('.govuk-footer').isVisible()).toBe(false);
    expect(await page.locator('#evidence-referrals').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, '42-evaluation-report');
  });
});
