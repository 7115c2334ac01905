import { Browser, Page } from 'playwright-core';
import { Accounts } from '../../libs/identity/src/accounts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { createFund, TestFund } from '../support/funds';
import { organisationProfile } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

const password = 'administration in a real browser';

/**
 * Taking access back in Debian's Chromium, without JavaScript on the pages: an administrator finds
 * staff administration and the security log from where they land, invites someone, disables an
 * officer and reads it in the log; an organisation's owner revokes an invitation and removes a
 * member. Every page passes axe.
 */
describe('staff administration and members in a real browser', () => {
  let s: TestStack;
  let browser: Browser;
  let fund: TestFund;
  let admin: TestUser;

  async function signIn(u: TestUser): Promise<Page> {
    await s.api.get(Accounts).setVerifiedPassword(u.userId, password);
    const page = await (
      await browser.newContext({ baseURL: s.baseUrl, viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(u.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    return page;
  }

  const accessible = async (page: Page, name: string) => {
    expect(await page.locator('script').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
  };

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    browser = await launchChromium();
    fund = await createFund(s);
    admin = await s.user('admin');
  });

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('lets an administrator invite and disable staff, and read it in the security log', async () => {
    const page = await signIn(admin);
    await page.getByRole('link', { name: 'Staff accounts' }).click();
    await page.waitForURL('**/admin/users');
    await accessible(page, '60-staff-accounts');

    await page.getByRole('button', { name: 'Invite a staff member' }).click();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter their name');
    await accessible(page, '61-staff-invite-errors');
    await page.getByLabel('Name').fill('Priya Partner');
    await page.getByLabel('Email address').fill(`priya-${s.suffix}@hartlepool.example`);
    await page.getByLabel('Role').selectOption({ label: 'Partner officer' });
    await page.getByLabel('VDA or funder').selectOption(fund.definition.partners[0].slug);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Invitation sent');
    expect(await page.locator('#staff').innerText()).toContain('Priya Partner');

    await page.goto(`/admin/users/${fund.officer.userId}`);
    await accessible(page, '62-staff-account');
    await page.getByLabel('Why are you disabling it?').selectOption({ label: 'Left the organisation' });
    await page.getByRole('button', { name: 'Disable account' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Account disabled');

    await page.goto('/');
    await page.getByRole('link', { name: 'Security log' }).click();
    await page.getByLabel('Event').selectOption({ label: 'Account disabled' });
    await page.getByRole('button', { name: 'Show events' }).click();
    const log = await page.locator('#security-events').innerText();
    expect(log).toContain('Account disabled');
    expect(log).toContain('left_the_organisation');
    await accessible(page, '63-security-log');
  });

  it('lets an owner revoke an invitation and remove a member', async () => {
    const owner = await s.user('applicant');
    const member = await s.user('applicant');
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      owner.token,
      organisationProfile({ name: `Browser Circle ${s.suffix}`, registrationNumber: '', legalForm: 'other' }),
    );
    expect(org.status).toBe(201);
    await s.ds.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [
      org.body.id,
      member.userId,
    ]);
    const invited = `invited-${s.suffix}@circle.example`;
    expect(
      (await s.request('POST', `/api/v1/organisations/${org.body.id}/invitations`, owner.token, { email: invited }))
        .status,
    ).toBe(201);

    const page = await signIn(owner);
    await page.goto(`/organisations/${org.body.id}`);
    await accessible(page, '64-organisation-members');
    await page.getByRole('button', { name: `Revoke ${invited}` }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Invitation revoked');
    await page.getByRole('button', { name: 'Leave organisation' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('hand ownership');
    await accessible(page, '65-owner-cannot-leave');
    await page.getByRole('button', { name: 'Remove Test applicant' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Member removed');
    expect(await page.locator('main').innerText()).not.toContain(member.email);
  });
});
