import { Browser, Page } from 'playwright-core';
import { Accounts } from '../../libs/identity/src/accounts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { authenticatorCode, secretFromText } from '../support/second-factor';
import { TestStack, TestUser } from '../support/stack';

/**
 * A new officer, where a second factor is required, enrols an authenticator app in Debian's
 * Chromium (the test is the app: it computes the codes from the key the page shows), signs out,
 * is refused with a wrong code and signs in with a right one. Every page passes axe.
 */
describe('second factor in a real browser', () => {
  let s: TestStack;
  let browser: Browser;
  let page: Page;
  let officer: TestUser;
  const password = 'the new officer passphrase';

  async function accessible(name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  async function signInWithPassword(): Promise<void> {
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(officer.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    s = await TestStack.start({ worker: false, secondFactor: 'required' });
    const admin = await s.user('admin');
    expect((await s.request('POST', '/api/v1/funds', admin.token, s.pilotDefinition())).status).toBe(201);
    officer = await s.user('officer', `catalyst-${s.suffix}`);
    await s.api.get(Accounts).setVerifiedPassword(officer.userId, password);
    browser = await launchChromium();
    page = await (await browser.newContext({ baseURL: s.baseUrl, viewport: { width: 1280, height: 900 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('enrols, signs out, is refused a wrong code and signs in with the right one', async () => {
    await signInWithPassword();
    await page.waitForURL('**/account/second-factor');
    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    await accessible('second-factor-enrol');
    const secret = secretFromText(await page.locator('#secret').innerText());
    await page.getByLabel('Code from the app').fill(await authenticatorCode(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();

    await page.getByRole('heading', { name: 'Your second factor is set up' }).waitFor();
    expect(await page.locator('#recovery-codes li').count()).toBe(10);
    await accessible('second-factor-recovery-codes');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();

    await signInWithPassword();
    await page.waitForURL('**/sign-in/code');
    await accessible('second-factor-code');
    // The enrolling code's step is used up: the app's next code (a clock a little ahead) is the one to type.
    const right = await authenticatorCode(secret, Date.now() + 30_000);
    await page.getByLabel('Code').fill(right === '123456' ? '654321' : '123456');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The code is not right');
    await accessible('second-factor-wrong-code');
    await page.goto('/account');
    await page.waitForURL('**/sign-in?next=%2Faccount');

    await signInWithPassword();
    await page.waitForURL('**/sign-in/code');
    await page.getByLabel('Code').fill(right);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByRole('link', { name: 'Second factor' }).click();
    await page.getByText('Recovery codes you have not used: 10').waitFor();
    await accessible('second-factor-status');
  });
});
