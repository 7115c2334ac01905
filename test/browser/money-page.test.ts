import { randomBytes } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { CLOCK } from '../../libs/config/src';
import { Clock, formatPounds } from '../../libs/domain/src';
import { Accounts } from '../../libs/identity/src/accounts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { declareIfJudging } from '../support/funds';
import { completeAnswers, organisationProfile, rubricScores } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

const DAY = 86_400_000;

/**
 * The fund's money page in Debian's Chromium, against the whole product: a pilot fund whose grants
 * were decided, accepted, declined and paid over six weeks (the application clock moved back for
 * each step, so the ledger's days are real days), two applications awaiting decision, and an
 * officer who reads the balances, the forecast, each organisation's totals and the chart.
 */
describe('the fund’s money page in a real browser', () => {
  let s: TestStack;
  let browser: Browser;
  let page: Page;
  let fundId: string;
  let admin: TestUser, officer: TestUser, panel: TestUser, applicant: TestUser;
  let partnerSlugs: Record<string, string>;
  let funderSlug: string, fundName: string;
  const password = 'the officer passphrase';

  /** Runs `step` as if it were `days` days ago: events, and so the ledger's days, are dated then. */
  async function daysAgo<T>(days: number, step: () => Promise<T>): Promise<T> {
    const clock = s.api.get<Clock>(CLOCK);
    const real = clock.now;
    clock.now = () => new Date(Date.now() - days * DAY);
    try {
      return await step();
    } finally {
      clock.now = real;
    }
  }

  const act = async (who: TestUser, id: string, action: string, body: object = {}) => {
    // Whoever judges an application declares first that they have no conflict of interest in it.
    await declareIfJudging(s, who, id, action);
    const r = await s.request('POST', `/api/v1/applications/${id}/actions/${action}`, who.token, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.application;
  };

  /** An organisation's application, submitted, screened and assessed: it awaits the panel's decision. */
  async function awaitingDecision(
    name: string,
    areaCode: string,
    requestedPence: number,
    recommendedPence?: number,
  ): Promise<string> {
    const registrationNumber = String(1_100_000 + Math.floor(Math.random() * 800_000));
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      applicant.token,
      organisationProfile({
        name,
        areaCode,
        registrationNumber,
        postcode: `TS${Math.floor(Math.random() * 20) + 1} ${randomBytes(1)[0] % 9}AB`,
      }),
    );
    expect(org.status).toBe(201);
    const draft = await s.request('POST', '/api/v1/applications', applicant.token, {
      fundId,
      organisationId: org.body.id,
      answers: completeAnswers({
        amount_requested: requestedPence,
        budget: { lines: [{ item: 'Sessions', amountPence: requestedPence }] },
      }),
    });
    expect(draft.status).toBe(201);
    const id: string = draft.body.id;
    await act(applicant, id, 'submit');
    await act(officer, id, 'start-screening');
    await act(officer, id, 'confirm-eligible');
    const assessed = await s.request('PUT', `/api/v1/applications/${id}/assessment`, officer.token, {
      scores: rubricScores(),
      ...(recommendedPence ? { recommendedPence } : {}),
    });
    expect(assessed.status).toBe(200);
    await act(officer, id, 'complete-assessment');
    return id;
  }

  const sign = { signatoryName: 'A. Khan', signatoryRole: 'Chair of trustees', acceptsTerms: true };
  const pay = async (id: string, reference: string) => {
    const payments = (await s.request('GET', `/api/v1/applications/${id}/payments`, officer.token)).body.items as {
      id: string;
    }[];
    await act(officer, id, 'release-payment', { paymentId: payments[0].id, reference });
  };

  beforeAll(async () => {
    s = await TestStack.start({ worker: false }); // nothing here needs the worker's jobs or emails
    admin = await s.user('admin');
    const definition = s.pilotDefinition();
    const created = await s.request('POST', '/api/v1/funds', admin.token, definition);
    expect(created.status).toBe(201);
    fundId = created.body.id;
    fundName = definition.name;
    funderSlug = definition.funder.slug;
    partnerSlugs = Object.fromEntries(
      definition.partners.map((p: { slug: string; areas: string[] }) => [p.areas[0], p.slug]),
    );
    officer = await s.user('officer', definition.managingOrganisation.slug);
    panel = await s.user('panel_member', definition.managingOrganisation.slug);
    applicant = await s.user('applicant');
    await s.api.get(Accounts).setVerifiedPassword(officer.userId, password);

    // Six weeks of decisions and payments, one organisation each (the pilot caps each at £5,000).
    const grants: {
      name: string;
      area: string;
      amount: number;
      decided: number;
      then: (id: string) => Promise<void>;
    }[] = [
      {
        name: 'Tees Valley Sisters',
        area: 'E06000004',
        amount: 450_000,
        decided: 40,
        then: async (id) => {
          await daysAgo(38, () => act(applicant, id, 'accept-offer', sign));
          await daysAgo(30, () => pay(id, 'BACS-0001'));
        },
      },
      {
        name: 'Hartlepool Women’s Voice',
        area: 'E06000001',
        amount: 300_000,
        decided: 33,
        then: async (id) => {
          await daysAgo(32, () => act(applicant, id, 'accept-offer', sign));
          await daysAgo(21, () => pay(id, 'BACS-0002'));
        },
      },
      {
        name: 'Middlesbrough Roma Community',
        area: 'E06000002',
        amount: 500_000,
        decided: 26,
        then: async (id) => {
          await daysAgo(25, () => act(applicant, id, 'accept-offer', sign));
        },
      },
      {
        name: 'Redcar Refuge Friends',
        area: 'E06000003',
        amount: 400_000,
        decided: 19,
        then: async (id) => {
          await daysAgo(12, () =>
            act(applicant, id, 'decline-offer', { reason: 'Another funder covered the project' }),
          );
        },
      },
      {
        name: 'Thornaby Sahara Group',
        area: 'E06000004',
        amount: 500_000,
        decided: 9,
        then: async (id) => {
          await daysAgo(8, () => act(applicant, id, 'accept-offer', sign));
          await daysAgo(4, () => pay(id, 'BACS-0003'));
        },
      },
      {
        name: 'Eston Community Kitchen',
        area: 'E06000003',
        amount: 450_000,
        decided: 5,
        then: async (id) => {
          await daysAgo(3, () => act(applicant, id, 'accept-offer', sign));
        },
      },
    ];
    for (const g of grants) {
      const id = await daysAgo(g.decided + 2, () => awaitingDecision(g.name, g.area, g.amount, g.amount));
      await daysAgo(g.decided, () => act(panel, id, 'approve', { amountPence: g.amount }));
      await g.then(id);
    }
    // Today: two applications await the panel, one recommended for less than it asks, one not yet recommended.
    await awaitingDecision('Billingham Asian Women’s Network', 'E06000004', 400_000, 350_000);
    await awaitingDecision('Hartlepool Polish Circle', 'E06000001', 250_000);

    browser = await launchChromium();
    page = await (await browser.newContext({ baseURL: s.baseUrl, viewport: { width: 1280, height: 900 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows an officer the balances, the forecast, the organisations and a chart of six weeks', async () => {
    const money = (await s.request('GET', `/api/v1/funds/${fundId}`, officer.token)).body.money;
    const available = money.grantablePence - money.committedPence - money.disbursedPence + money.returnedPence;
    expect(available).toBe(2_550_000 - 2_200_000);

    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(officer.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`/desk/funds/${fundId}/decisions`);
    expect(await page.getByRole('link', { name: "The fund's money" }).getAttribute('href')).toBe(
      `/desk/funds/${fundId}/money`,
    );
    await page.goto(`/desk/funds/${fundId}`);
    await page.getByRole('link', { name: "The fund's money" }).click();
    expect(new URL(page.url()).pathname).toBe(`/desk/funds/${fundId}/money`);
    expect(await page.locator('h1').innerText()).toBe(fundName);

    // The figures: total, the fee posted at creation, grantable, and where the grants stand.
    const figure = (id: string) => page.locator(`#${id}`).innerText();
    expect(await figure('money-total')).toBe('£30,000.00');
    expect(await figure('money-fee')).toBe('£4,500.00');
    expect(await figure('money-grantable')).toBe('£25,500.00');
    expect(await figure('money-committed')).toBe(formatPounds(money.committedPence));
    expect(await figure('money-committed')).toBe('£9,500.00'); // Middlesbrough and Eston, accepted, not yet paid
    expect(await figure('money-disbursed')).toBe('£12,500.00');
    expect(await figure('money-returned')).toBe('£0.00');
    expect(await figure('money-available')).toBe(formatPounds(available));

    // The forecast: £22,000 used plus £3,500 recommended and £2,500 asked for (no recommendation yet) does not fit.
    expect(await page.locator('#money-forecast').innerText()).toContain(
      'plus £6,000.00 recommended for what awaits decision (2 waiting) makes £28,000.00 of the £25,500.00 grantable',
    );
    expect(await page.locator('#money-forecast-verdict').innerText()).toContain(
      'it is £2,500.00 more than the £3,500.00 available',
    );
    expect(await page.locator('main').innerText()).toContain(
      'Waiting without a recommended amount, so counted at the amount asked for: 1.',
    );

    // Organisations, largest award first; a declined offer leaves nothing awarded.
    const rows = await page.locator('#money-organisations tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t')[0])).toEqual([
      'Middlesbrough Roma Community',
      'Thornaby Sahara Group',
      'Eston Community Kitchen',
      'Tees Valley Sisters',
      'Hartlepool Women’s Voice',
      'Redcar Refuge Friends',
    ]);
    expect(rows[3].split('\t')).toEqual(['Tees Valley Sisters', '£4,500.00', '£4,500.00', '£0.00', '£0.00']);
    expect(rows[0].split('\t')).toEqual(['Middlesbrough Roma Community', '£5,000.00', '£0.00', '£0.00', '£5,000.00']);
    expect(rows[5].split('\t')).toEqual(['Redcar Refuge Friends', '£0.00', '£0.00', '£0.00', '£0.00']);

    // The chart: an image with a name and a description, step lines with content, and the same figures as a table.
    const chart = page.locator('svg#money-chart');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('title').textContent()).toBe('Committed and disbursed over time');
    expect(await chart.locator('desc').textContent()).toContain(
      'reaches £22,000.00 and disbursed reaches £12,500.00, against £25,500.00 grantable',
    );
    const used = (await chart.locator('path.sg-chart__used').getAttribute('d'))!;
    const disbursed = (await chart.locator('path.sg-chart__disbursed').getAttribute('d'))!;
    expect(used.match(/V/g)!.length).toBeGreaterThanOrEqual(6);
    expect(disbursed.match(/V/g)!.length).toBeGreaterThanOrEqual(3);
    expect(await chart.locator('line.sg-chart__threshold').count()).toBe(2);
    expect(await chart.locator('text').allTextContents()).toEqual(
      expect.arrayContaining(['£25,000.00', '75%', '90%', '100%']),
    );
    const days = await page.locator('#money-days tbody tr').allInnerTexts();
    expect(days.length).toBe(10); // ten days moved committed or disbursed; the fund's creation today moved neither
    expect(days.at(-1)!.split('\t').slice(1)).toEqual(['£22,000.00', '£12,500.00']);

    // Two grants accepted and not yet paid: the payment run for finance, on the page and as CSV.
    expect(await page.locator('#money-payments').innerText()).toContain(
      '2 scheduled payment(s) due by today, £9,500.00 in all; £9,500.00 can be paid now',
    );
    const csv = await page.request.get(`/desk/funds/${fundId}/payment-run.csv`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const csvLines = (await csv.text()).trim().split('\n');
    expect(csvLines[0]).toBe(
      'payment_id,application_reference,organisation,registration_number,tranche,amount_gbp,due_on,releasable,held_because',
    );
    expect(
      csvLines
        .slice(1)
        .map((l) => [l.split(',')[2], l.split(',')[5], l.split(',')[7]])
        .sort(),
    ).toEqual([
      ['Eston Community Kitchen', '4500.00', 'yes'],
      ['Middlesbrough Roma Community', '5000.00', 'yes'],
    ]);

    expect(await page.locator('script').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '40-money-page');
  });

  it('answers the same figures as JSON to the fund’s staff, and 403 or 404 to anyone else', async () => {
    const r = await s.request('GET', `/api/v1/funds/${fundId}/money`, officer.token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      totalPence: 3_000_000,
      feePence: 450_000,
      grantablePence: 2_550_000,
      committedPence: 950_000,
      disbursedPence: 1_250_000,
      returnedPence: 0,
      usedPence: 2_200_000,
      availablePence: 350_000,
      alertThresholdsBasisPoints: [7500, 9000, 10000],
      forecast: {
        applications: 2,
        recommendedPence: 600_000,
        withoutRecommendation: 1,
        forecastPence: 2_800_000,
        fits: false,
        marginPence: -250_000,
      },
    });
    expect(r.body.organisations[0]).toMatchObject({
      name: 'Middlesbrough Roma Community',
      awardedPence: 500_000,
      outstandingPence: 500_000,
    });
    expect(r.body.series.at(-1)).toMatchObject({ usedPence: 2_200_000, disbursedPence: 1_250_000 });
    expect(r.body.series).toHaveLength(10);
    expect((await s.request('GET', `/api/v1/funds/${fundId}/money`, panel.token)).status).toBe(200);
    expect((await s.request('GET', `/api/v1/funds/${fundId}/money`, admin.token)).status).toBe(200);

    // A partner officer reads the fund's figures, and only their own area's organisations.
    const hartlepool = await s.user('partner_officer', partnerSlugs.E06000001);
    const theirs = await s.request('GET', `/api/v1/funds/${fundId}/money`, hartlepool.token);
    expect(theirs.status).toBe(200);
    expect(theirs.body.availablePence).toBe(350_000);
    expect(theirs.body.organisations.map((o: { name: string }) => o.name)).toEqual(['Hartlepool Women’s Voice']);

    expect((await s.request('GET', `/api/v1/funds/${fundId}/money`, applicant.token)).status).toBe(403);
    expect(
      (await s.request('GET', `/api/v1/funds/${fundId}/money`, (await s.user('funder_viewer', funderSlug)).token))
        .status,
    ).toBe(403);
    await s.ds.query(`INSERT INTO partner_organisations (slug, name, kind) VALUES ($1, 'Another VDA', 'vda')`, [
      `another-vda-${s.suffix}`,
    ]);
    const stranger = await s.user('officer', `another-vda-${s.suffix}`);
    expect((await s.request('GET', `/api/v1/funds/${fundId}/money`, stranger.token)).status).toBe(403);
    expect(
      (await s.request('GET', '/api/v1/funds/00000000-0000-4000-8000-000000000000/money', officer.token)).status,
    ).toBe(404);
    expect((await s.request('GET', `/api/v1/funds/${fundId}/money`, null)).status).toBe(401);

    const openapi = (await s.request('GET', '/api/docs/openapi.json', null)).body;
    expect(openapi.paths['/api/v1/funds/{id}/money'].get.responses).toHaveProperty('200');
  });
});
