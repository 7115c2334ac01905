import { Browser, Page } from 'playwright-core';
import { Accounts } from '../../libs/identity/src/accounts';
import { launchChromium } from '../support/browser';
import { TestStack, TestUser } from '../support/stack';

/**
 * Under the Content-Security-Policy (no inline scripts anywhere; inline styles only on the two
 * tools' pages) Chromium still runs Swagger UI and Bull Board, and reports no violation on the
 * portal's pages.
 */
describe('pages under the Content-Security-Policy in a real browser', () => {
  let s: TestStack;
  let browser: Browser;
  let page: Page;
  let admin: TestUser;
  const password = 'the administrator passphrase';
  const violations: string[] = [];

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    admin = await s.user('admin');
    await s.api.get(Accounts).setVerifiedPassword(admin.userId, password);
    browser = await launchChromium();
    page = await (await browser.newContext({ baseURL: s.baseUrl })).newPage();
    // Chromium reports each blocked resource or inline code on the console.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the portal’s pages without a single violation', async () => {
    for (const path of ['/', '/sign-in', '/register']) {
      await page.goto(path);
      await page.waitForLoadState('load');
    }
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto('/account');
    await page.waitForLoadState('load');
    expect(violations).toEqual([]);
  });

  it('runs Swagger UI at /api/docs: it renders the API from its description', async () => {
    await page.goto('/api/docs');
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 });
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(10);
    expect(violations.filter((v) => /script/i.test(v))).toEqual([]);
  });

  it('runs Bull Board at /admin/queues for the signed-in administrator: it lists the queues', async () => {
    await page.goto('/admin/queues');
    await page.getByText('Small Grants queues').first().waitFor({ timeout: 15_000 });
    await page.getByText('notifications').first().waitFor({ timeout: 15_000 });
    // Only what the policy means to block is blocked: Bull Board's web fonts from Google.
    expect(violations.filter((v) => !/fonts\.googleapis\.com/.test(v))).toEqual([]);
  });
});
