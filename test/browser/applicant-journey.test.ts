import { randomBytes } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { rubricScores } from '../support/pilot';
import { TestStack } from '../support/stack';
import { Accounts } from '../../libs/identity/src/accounts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/**
 * The applicant journey in Debian's Chromium, against the whole product (API, worker, PostgreSQL,
 * Redis, SMTP): register, verify by the emailed link, add an organisation, fill the pilot fund's
 * form across its pages, meet and fix a validation error, save, sign out, sign in, resume, submit.
 * Every page is checked with axe-core and photographed.
 */
describe('the applicant journey in a real browser', () => {
  let s: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let fundSlug: string;
  let officerToken: string, officerEmail: string, fundId: string;
  const staff: Record<'secondOfficer' | 'conflictedPanel' | 'panel', string> = {
    secondOfficer: '',
    conflictedPanel: '',
    panel: '',
  };
  const staffPassword = 'the officer passphrase';
  const email = `amina-${randomBytes(3).toString('hex')}@women-of-tees.example`;
  const password = 'tea and biscuits at the drop-in';
  const visited: { name: string; path: string; url: string }[] = [];
  let applicationUrl = '';

  /**
   * Checks the page as it stands: it works without JavaScript (it has none), it has no serious or
   * critical accessibility problem, and a screenshot.
   */
  const check = async (name: string) => {
    expect({ page: name, scripts: await page.locator('script').count() }).toEqual({ page: name, scripts: 0 });
    const violations = await seriousAccessibilityViolations(page);
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
    visited.push({ name, path: await screenshot(page, name), url: new URL(page.url()).pathname });
  };
  const linkFromEmail = async (subject: RegExp): Promise<string> => {
    await s.smtp.waitFor(() => s.smtp.to(email).some((m) => subject.test(m.subject)));
    const mail = s.smtp
      .to(email)
      .filter((m) => subject.test(m.subject))
      .at(-1)!;
    return /http:\/\/grants\.test(\/\S+)/.exec(mail.text)![1];
  };

  beforeAll(async () => {
    s = await TestStack.start();
    const admin = await s.user('admin');
    const definition = s.pilotDefinition();
    fundSlug = definition.slug;
    const created = await s.request('POST', '/api/v1/funds', admin.token, definition);
    expect(created.status).toBe(201);
    fundId = created.body.id;
    const officer = await s.user('officer', definition.managingOrganisation.slug);
    officerToken = officer.token;
    officerEmail = officer.email;
    await s.api.get(Accounts).setVerifiedPassword(officer.userId, 'the officer passphrase');
    for (const [key, role] of [
      ['secondOfficer', 'officer'],
      ['conflictedPanel', 'panel_member'],
      ['panel', 'panel_member'],
    ] as const) {
      const u = await s.user(role, definition.managingOrganisation.slug);
      await s.api.get(Accounts).setVerifiedPassword(u.userId, staffPassword);
      staff[key] = u.email;
    }
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: s.baseUrl });
    page = await context.newPage();
  });

  afterAll(async () => {
    console.log(
      `pages visited (screenshots in test-results/screenshots):\n${visited.map((v) => `  ${v.name.padEnd(28)} ${v.url}`).join('\n')}`,
    );
    await browser?.close();
    await s?.stop();
  });

  it('registers, verifies by the emailed link and signs in', async () => {
    await page.goto('/');
    await check('01-start');
    await page.getByRole('button', { name: 'Start now' }).click();
    await check('02-register');
    await page.getByLabel('Your name').fill('Amina');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('at least 12 characters');
    await check('03-register-error');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('h1').innerText()).toBe('Check your email');
    await check('04-check-your-email');

    // The link opens a page with a button: opening it (as a mail scanner would) confirms nothing.
    await page.goto(await linkFromEmail(/Confirm your email/));
    await check('05a-confirm-email');
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    expect(await page.locator('h1').innerText()).toBe('Email address confirmed');
    await check('05-email-confirmed');
    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await check('06-sign-in');
    const sessionCookie = async () => (await context.cookies()).find((c) => c.name === 'sg_session');
    const before = await sessionCookie(); // the sign-in form's CSRF secret already made a session
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('h1').innerText()).toBe('Your applications');
    // A new session id at sign-in (no fixation), and a cookie scripts cannot read.
    const after = await sessionCookie();
    expect(before?.value).toBeDefined();
    expect(after?.value).not.toBe(before?.value);
    expect(after).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await check('07-your-applications');
  });

  it('adds the organisation, after fixing what the form points out', async () => {
    await page.getByRole('link', { name: 'Add an organisation' }).click();
    await page.getByLabel('Organisation name').fill('Women of Tees');
    await page.getByLabel('Charitable incorporated organisation (CIO)').check();
    await page.getByLabel('Registration number').fill('12'); // not a charity number
    await page.getByLabel('Address line 1').fill('1 High Street');
    await page.getByLabel('Town or city').fill('Stockton-on-Tees');
    await page.getByLabel('Postcode').fill('TS18 1AA');
    await page.getByLabel('Stockton-on-Tees').check();
    await page.getByLabel('Pakistani').check();
    await page.getByLabel('Roma').check();
    await page.getByLabel('Which languages do you work in?').fill('Urdu, Punjabi, Romani, English');
    await page.locator('#ledByAndFor').check();
    await page
      .getByLabel('How is your leadership drawn from the communities you serve?')
      .fill('All our trustees are women from the communities we serve.');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('charity number in the right format');
    await check('08-organisation-error');
    await page.getByLabel('Registration number').fill(String(1_100_000 + Math.floor(Math.random() * 800_000)));
    await page.getByRole('button', { name: 'Save and continue' }).click();
    expect(await page.locator('h1').innerText()).toBe('Women of Tees');
    await check('09-organisation');
  });

  it('fills the fund’s form across its pages, meets a validation error, fixes it and saves for later', async () => {
    await page.goto(`/funds/${fundSlug}`);
    await check('10-fund');
    await page.getByRole('button', { name: 'Start an application' }).click();
    applicationUrl = new URL(page.url()).pathname.replace(/\/sections\/.*/, '');

    // Section 1: your project.
    await check('11-section-your-project');
    await page.getByLabel('Project name').fill('Safe Spaces drop-in');
    await page
      .getByLabel('Summary of your project')
      .fill('A weekly drop-in in Urdu and Punjabi for women affected by domestic abuse.');
    await page.getByLabel('Day').fill('3');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2027');
    await page.getByLabel('About how many people do you expect to support?').fill('40');
    await page.getByRole('button', { name: 'Save and continue' }).click();

    // Section 2: the activity.
    await page.getByLabel('Drop-in sessions').check();
    await page.getByLabel('Signposting to other services').check();
    await page.getByLabel('Medium risk').check();
    await page
      .getByLabel('Describe the activity')
      .fill('Weekly sessions at the community centre, run by two trained volunteers.');
    await page.getByLabel('Which languages will the activity be offered in?').fill('Urdu, Punjabi');
    await page.locator('#works_with_children-no').check();
    await check('12-section-the-activity');
    await page.getByRole('button', { name: 'Save and continue' }).click();

    // Section 3: keeping people safe, with the policy uploaded.
    await page.locator('#has_safeguarding_policy').check();
    await page
      .getByLabel('Upload your safeguarding policy')
      .setInputFiles({ name: 'Safeguarding policy.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page
      .getByLabel('How do you recognise and respond when someone may be at risk of harm?')
      .fill('We use a recognised risk checklist; our safeguarding lead decides on referral the same day.');
    await page.getByLabel('Commissioned domestic abuse services (for example an IDVA service)').check();
    await page.getByLabel('Police', { exact: true }).check();
    await check('13-section-keeping-people-safe');
    await page.getByRole('button', { name: 'Save and continue' }).click();

    // Section 4: money, with an amount that is not an amount.
    await page.getByLabel('How much are you asking for?').fill('about four thousand');
    await page.getByLabel('Budget line 1: what the money is for').fill('Room hire, 40 sessions');
    await page.getByLabel('Budget line 1: amount in pounds').fill('2000');
    await page.getByLabel('Budget line 2: what the money is for').fill('Volunteer travel and childcare');
    await page.getByLabel('Budget line 2: amount in pounds').fill('2,500');
    await page.locator('#other_funding-no').check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).toContain('must be an amount in pounds');
    expect(await page.getByLabel('How much are you asking for?').inputValue()).toBe('about four thousand');
    await check('14-section-money-error');
    await summary.getByRole('link').first().click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('amount_requested');
    await page.getByLabel('How much are you asking for?').fill('4500');
    await page.getByRole('button', { name: 'Save and come back later' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Your answers are saved');
    await check('15-task-list');
  });

  it('signs out, signs in again, resumes, and submits after the declaration', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(applicationUrl);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe(applicationUrl);
    expect(await page.locator('.govuk-task-list').innerText()).toMatch(/Money\s+Completed/);

    await page.getByRole('link', { name: 'Check your answers and submit' }).click();
    await check('16-check-your-answers');
    expect(await page.locator('#answer-amount_requested').innerText()).toContain('£4,500.00');
    expect(await page.locator('#answer-safeguarding_policy').innerText()).toContain('Safeguarding policy.pdf');
    await page.getByRole('button', { name: 'Submit application' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Confirm the declaration');
    await check('17-declaration-error');
    await page.getByLabel('I confirm all of the above').check();
    await page.getByRole('button', { name: 'Submit application' }).click();
    expect(await page.locator('.govuk-panel__title').innerText()).toBe('Application submitted');
    expect(await page.locator('#application-status').innerText()).toBe('Submitted');
    await check('18-submitted');

    // The receipt arrives, once, with the answers.
    await s.smtp.waitFor(() => s.smtp.to(email).some((m) => /We have received your application/.test(m.subject)));
    await new Promise((r) => setTimeout(r, 1000));
    const receipts = s.smtp.to(email).filter((m) => /We have received your application/.test(m.subject));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].text).toContain('Safe Spaces drop-in');
    expect(receipts[0].text).toContain('Room hire, 40 sessions: £2,000.00');
    expect(receipts[0].text).toContain('Safeguarding policy.pdf');
  });

  it('is screened, questioned, assessed (high tier, a gap, countersigned) and decided on the desk; the applicant answers and accepts; the grant waits for its conditions', async () => {
    const id = applicationUrl.split('/').pop()!;
    // The officer works from the desk in their own browser session.
    const officerContext = await browser.newContext({ baseURL: s.baseUrl });
    const desk = await officerContext.newPage();
    const applicantPage = page;
    page = desk;
    await desk.goto('/sign-in');
    await desk.getByLabel('Email address').fill(officerEmail);
    await desk.getByLabel('Password').fill('the officer passphrase');
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.goto(`/desk/funds/${fundId}`);
    expect(await desk.locator('main table').innerText()).toContain('Women of Tees');
    await check('30-desk');
    await desk.getByRole('link', { name: 'Women of Tees' }).click();
    expect(await desk.locator('#eligibility').innerText()).toMatch(/Area\s+Pass/);
    await check('31-desk-application');
    await desk.getByRole('button', { name: 'Start checks' }).click();
    expect(await desk.locator('#application-status').innerText()).toBe('Being checked');
    await desk.getByRole('button', { name: 'Ask the applicant' }).click();
    expect(await desk.locator('.govuk-error-summary').innerText()).toContain('Write your questions for the applicant');
    await check('32-desk-action-error');
    await desk
      .getByLabel('Your questions for the applicant')
      .fill('Who will run the sessions, and what training have they had?');
    await desk.getByRole('button', { name: 'Ask the applicant' }).click();
    expect(await desk.locator('#application-status').innerText()).toBe('Information requested');
    await desk.getByLabel('Add a note').fill('Called the chair; training certificates promised.');
    await desk.getByRole('button', { name: 'Save note' }).click();
    expect(await desk.locator('main').innerText()).toContain('training certificates promised');
    page = applicantPage;
    await page.goto(applicationUrl);
    expect(await page.locator('main').innerText()).not.toContain('training certificates promised');
    expect(await page.locator('.govuk-inset-text').innerText()).toContain('Who will run the sessions');
    await page.getByRole('button', { name: 'Send your answer' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter your answer');
    await check('19-information-requested');
    await page.getByLabel('Your answer').fill('Two volunteers trained by the local IDVA service in 2026.');
    await page.getByRole('button', { name: 'Send your answer' }).click();
    expect(await page.locator('#application-status').innerText()).toBe('Being checked');

    // The officer confirms eligibility and scores the rubric for what is really a high-tier activity,
    // with one gap: the computed outcome is "capable with conditions", with the conditions proposed.
    page = desk;
    await desk.goto(`/desk/applications/${id}`);
    // Judging waits for the officer's declaration on conflicts of interest.
    expect(await desk.getByRole('button', { name: 'Confirm eligible' }).count()).toBe(0);
    await desk.locator('#conflicted-no').check();
    await desk.getByRole('button', { name: 'Declare' }).click();
    await desk.getByRole('button', { name: 'Confirm eligible' }).click();
    await desk.getByRole('link', { name: 'Score the risk-capability assessment' }).click();
    await check('33-assessment-form');
    await desk.locator('#riskTier-high').check();
    for (const [area, score] of Object.entries(rubricScores({ risk_identification: 1 })))
      await desk.locator(score === 0 ? `#score-${area}` : `#score-${area}-${score}`).check();
    await desk.locator('#note-risk_identification').fill('Relies on the coordinator’s judgement; no checklist yet.');
    await desk.getByLabel('Recommended amount (optional)').fill('4000');
    await desk.getByRole('button', { name: 'Save the assessment' }).click();
    const assessed = await desk.locator('main').innerText();
    expect(assessed).toContain('Capable with conditions');
    expect(assessed).toContain('Adopt a recognised risk identification checklist');
    expect(assessed).toContain('Name a safeguarding lead before the first payment');
    await desk.getByRole('button', { name: 'Complete the assessment' }).click();
    expect(await desk.locator('.govuk-error-summary').innerText()).toContain('second officer must countersign');
    await check('34-countersignature-needed');

    // A second officer countersigns; a panel member with a conflict cannot decide; another approves part.
    const asStaff = async (email: string) => {
      const context = await browser.newContext({ baseURL: s.baseUrl });
      const p = await context.newPage();
      await p.goto('/sign-in');
      await p.getByLabel('Email address').fill(email);
      await p.getByLabel('Password').fill(staffPassword);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.goto(`/desk/applications/${id}`);
      return { context, p };
    };
    const second = await asStaff(staff.secondOfficer);
    await second.p.locator('#conflicted-no').check();
    await second.p.getByRole('button', { name: 'Declare' }).click();
    await second.p.getByRole('button', { name: 'Countersign this assessment' }).click();
    await second.context.close();
    await desk.goto(`/desk/applications/${id}`);
    await desk.getByRole('button', { name: 'Complete the assessment' }).click();
    expect(await desk.locator('#application-status').innerText()).toBe('Awaiting decision');

    const conflicted = await asStaff(staff.conflictedPanel);
    page = conflicted.p;
    await check('35-panel-declaration');
    await conflicted.p.locator('#conflicted').check();
    await conflicted.p.getByRole('button', { name: 'Declare' }).click();
    expect(await conflicted.p.locator('main').innerText()).toContain('You declared a conflict of interest');
    // They see that it exists and where it stands, and nothing it holds: no answers, assessment or forms.
    expect(await conflicted.p.locator('main').innerText()).not.toContain('Capable with conditions');
    expect(await conflicted.p.locator('main').innerText()).not.toContain('Two volunteers trained');
    expect(await conflicted.p.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await conflicted.p.locator('#application-status').innerText()).toBe('Awaiting decision');
    await check('35a-conflict-notice');
    await conflicted.context.close();

    const panel = await asStaff(staff.panel);
    page = panel.p;
    await panel.p.goto(`/desk/funds/${fundId}/decisions`);
    const decisions = await panel.p.locator('main table').innerText();
    expect(decisions).toMatch(/Women of Tees[\s\S]*Capable with conditions\s+£4,500.00\s+£4,000.00\s+£5,000.00/);
    expect(await panel.p.locator('main').innerText()).toContain('Available for grants: £25,500.00');
    await check('35b-panel-decisions');
    await panel.p.getByRole('link', { name: 'Women of Tees' }).click();
    await panel.p.locator('#conflicted-no').check();
    await panel.p.getByRole('button', { name: 'Declare' }).click();
    await check('36-panel-decision');
    await panel.p.getByLabel('Amount to award').fill('4000');
    await panel.p.getByRole('button', { name: 'Approve' }).click();
    expect(await panel.p.locator('#application-status').innerText()).toBe('Offer made');
    await panel.context.close();
    page = applicantPage;
    await page.goto(applicationUrl);
    expect(await page.locator('#application-status').innerText()).toBe('Offer made');
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select whether you accept the offer');
    await check('20-offer');
    await page.getByLabel('Yes, accept the offer').check();
    await page.getByRole('button', { name: 'Confirm' }).click();
    // Acceptance is signed: every missing part is pointed out at once.
    expect(await page.locator('.govuk-error-summary').innerText()).toMatch(/full name[\s\S]*role[\s\S]*authorised/);
    await page.getByRole('link', { name: 'Read and print the offer letter' }).click();
    expect(await page.locator('.govuk-panel__title').innerText()).toBe('£4,000.00');
    expect(await page.locator('main').innerText()).toContain('You asked for £4,500.00');
    await check('20b-offer-letter');
    await page.goto(applicationUrl);
    await page.getByLabel('Yes, accept the offer').check();
    await page.getByLabel('Full name of the person signing').fill('Amina Rahman');
    await page.getByLabel('Their role in the organisation').fill('Chair of trustees');
    await page
      .getByLabel('I am authorised to accept this offer for the organisation, and we agree to its terms and conditions')
      .check();
    await page.getByRole('button', { name: 'Confirm' }).click();
    // Accepted, but the grant and its first payment wait for the conditions.
    expect(await page.locator('#application-status').innerText()).toBe('Conditions to meet');
    const [accepted] = await s.ds.query(
      `SELECT data FROM events WHERE application_id = $1 AND action = 'accept-offer'`,
      [id],
    );
    expect(accepted.data).toEqual({
      signatoryName: 'Amina Rahman',
      signatoryRole: 'Chair of trustees',
      acceptsTerms: true,
      source: 'portal',
    });
    expect(await page.locator('.govuk-list').last().innerText()).toContain('Offer accepted');
    await check('21-conditions-to-meet');

    expect(
      (
        await s.request('POST', `/api/v1/applications/${id}/actions/release-payment`, officerToken, {
          paymentId: '00000000-0000-4000-8000-000000000000',
          reference: 'BACS-1',
        })
      ).status,
    ).toBe(409);
    await desk.goto(`/desk/applications/${id}`);
    // The desk does not offer what the open conditions forbid; the API says why.
    expect(await desk.getByRole('button', { name: 'Confirm conditions met: start the grant' }).count()).toBe(0);
    const early = await s.request('POST', `/api/v1/applications/${id}/actions/confirm-conditions`, officerToken, {});
    expect(early.status).toBe(422);
    expect(early.body.detail).toContain('Mark each condition met or waived first');
    const conditions = (await s.request('GET', `/api/v1/applications/${id}/conditions`, officerToken)).body.items as {
      id: string;
    }[];
    expect(conditions).toHaveLength(2);
    // Signed off on the desk: met needs the evidence seen, waived the reason.
    page = desk;
    await desk
      .locator(`form[action$="/conditions/${conditions[0].id}"]`)
      .getByRole('button', { name: 'Mark met' })
      .click();
    expect(await desk.locator('.govuk-error-summary').innerText()).toContain('Say what evidence you saw');
    await check('37-condition-error');
    await desk.locator(`#condition-${conditions[0].id}`).fill('Checklist adopted; training records seen on the visit');
    await desk
      .locator(`form[action$="/conditions/${conditions[0].id}"]`)
      .getByRole('button', { name: 'Mark met' })
      .click();
    await desk.locator(`#condition-${conditions[1].id}`).fill('The chair is named as safeguarding lead in the policy');
    await desk
      .locator(`form[action$="/conditions/${conditions[1].id}"]`)
      .getByRole('button', { name: 'Waive' })
      .click();
    expect(await desk.locator('main').innerText()).toMatch(/Met[\s\S]*Waived/);
    await desk.getByRole('button', { name: 'Confirm conditions met: start the grant' }).click();
    expect(await desk.locator('#application-status').innerText()).toBe('Grant active');
    // Finance paid; the officer records the payment with its reference (refused without one).
    await desk.getByRole('button', { name: 'Record the payment as made' }).click();
    expect(await desk.locator('.govuk-error-summary').innerText()).toContain('Write the finance reference');
    await desk.getByLabel(/Finance reference for payment 1 of £4,000.00/).fill('BACS-1');
    await desk.getByRole('button', { name: 'Record the payment as made' }).click();
    expect(await desk.getByRole('button', { name: 'Record the payment as made' }).count()).toBe(0);
    await officerContext.close();
    const payments = (await s.request('GET', `/api/v1/applications/${id}/payments`, officerToken)).body.items as {
      state: string;
      reference: string;
    }[];
    expect(payments.map((p) => [p.state, p.reference])).toEqual([['paid', 'BACS-1']]);
    page = applicantPage;
    await page.goto(applicationUrl);
    expect(await page.locator('#application-status').innerText()).toBe('Grant active');
    await check('21b-grant-active');
    await s.smtp.waitFor(
      () => s.smtp.to(email).filter((m) => /A condition of your grant/.test(m.subject)).length === 2,
    );
    expect(s.smtp.to(email).filter((m) => /is waived/.test(m.subject))[0].text).toContain(
      'Name a safeguarding lead before the first payment',
    );
    // The longest journey: five staff, with each judge's declaration, on a shared machine.
  }, 180_000);

  it('manages the account: an API token that works, and a password reset by a link that works once', async () => {
    await page.goto('/account');
    await check('22-account');
    await page.getByLabel('Token name').fill('Grants spreadsheet');
    await page.getByLabel('Your password').fill(password);
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.locator('#api-token').innerText();
    expect(token).toMatch(/^sg_[A-Za-z0-9_-]{32}$/);
    expect(await page.getByRole('row', { name: /Grants spreadsheet/ }).count()).toBe(1);
    await check('23-api-token');
    const mine = await s.request('GET', '/api/v1/organisations', token);
    expect(mine.body.items.map((o: { name: string }) => o.name)).toEqual(['Women of Tees']);

    // Optional reminders off; an applicant is not offered the staff digest.
    expect(await page.getByLabel(/One email a day/).count()).toBe(0);
    await page.getByLabel(/Reminders before a report is due/).uncheck();
    await page.getByRole('button', { name: 'Save email choices' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Your email choices are saved');
    expect(await page.getByLabel(/Reminders before a report is due/).isChecked()).toBe(false);
    await check('22b-email-choices');
    expect((await s.request('GET', '/api/v1/me/notification-preferences', token)).body).toEqual({
      optionalReminders: false,
      dailyDigest: false,
      digestAvailable: false,
    });

    const orgId = mine.body.items[0].id;
    await page.goto(`/organisations/${orgId}/edit`);
    await check('24-organisation-edit');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto('/forgot-password');
    await check('25-forgot-password');
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    const link = await linkFromEmail(/Reset your/);
    await page.goto(link);
    await check('26-reset-password');
    await page.getByLabel('New password').fill('a brand new passphrase here');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    expect(await page.locator('h1').innerText()).toBe('Password changed');
    // The reset took every token with it.
    expect((await s.request('GET', '/api/v1/organisations', token)).status).toBe(401);
    const again = await page.goto(link);
    expect(again?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('This link does not work');
    await check('27-link-used');
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('a brand new passphrase here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('h1').innerText()).toBe('Your applications');
  });

  it('shows another applicant none of it: application, organisation and file pages answer 404', async () => {
    const fileId = (
      await s.ds.query(
        'SELECT f.id FROM application_files f JOIN applications a ON a.id = f.application_id WHERE a.created_by = (SELECT id FROM users WHERE email = $1)',
        [email],
      )
    )[0].id;
    const orgId = (
      await s.ds.query(
        'SELECT organisation_id FROM organisation_members WHERE user_id = (SELECT id FROM users WHERE email = $1)',
        [email],
      )
    )[0].organisation_id;
    const other = await browser.newContext({ baseURL: s.baseUrl });
    const p = await other.newPage();
    const otherEmail = `other-${randomBytes(3).toString('hex')}@example.org`;
    await p.goto('/register');
    await p.getByLabel('Your name').fill('Other');
    await p.getByLabel('Email address').fill(otherEmail);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Create account' }).click();
    await s.smtp.waitFor(() => s.smtp.to(otherEmail).length > 0);
    await p.goto(/http:\/\/grants\.test(\/\S+)/.exec(s.smtp.to(otherEmail)[0].text)![1]);
    await p.getByRole('button', { name: 'Confirm my email address' }).click();
    await p.goto('/sign-in');
    await p.getByLabel('Email address').fill(otherEmail);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    for (const path of [
      applicationUrl,
      `${applicationUrl}/check`,
      `${applicationUrl}/sections/money`,
      `/organisations/${orgId}`,
      `/organisations/${orgId}/edit`,
      `/files/${fileId}`,
    ]) {
      const res = await p.goto(path);
      expect({ path, status: res?.status() }).toEqual({ path, status: 404 });
    }
    expect(await p.locator('h1').innerText()).toBe('Page not found');
    // Posting to the first applicant's application changes nothing either.
    const before = await s.ds.query('SELECT state, version FROM applications WHERE id = $1', [
      applicationUrl.split('/').pop(),
    ]);
    const res = await p.request.post(`${applicationUrl}/information`, { form: { message: 'hello' } });
    expect(res.status()).toBe(403); // no CSRF token from a page of this session: refused before anything else
    expect(
      await s.ds.query('SELECT state, version FROM applications WHERE id = $1', [applicationUrl.split('/').pop()]),
    ).toEqual(before);
    const missing = page;
    await missing.goto('/no-such-page');
    await check('28-page-not-found');

    // Invited by the owner, the other applicant joins and can then see the organisation.
    await page.goto(`/organisations/${orgId}`);
    await page.getByLabel('Invite someone by email').fill(otherEmail);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Invitation sent');
    await s.smtp.waitFor(() => s.smtp.to(otherEmail).some((m) => /invited to join an organisation/.test(m.subject)));
    const invitation = /http:\/\/grants\.test(\/\S+)/.exec(
      s.smtp.to(otherEmail).find((m) => /invited to join an organisation/.test(m.subject))!.text,
    )![1];
    const pageBefore = page;
    page = p;
    await page.goto(invitation);
    await check('29-invitation');
    await page.getByRole('button', { name: 'Accept the invitation' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('You have joined');
    expect((await page.goto(`/organisations/${orgId}`))?.status()).toBe(200);
    page = pageBefore;
    await other.close();
  });
});
