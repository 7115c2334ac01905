import { DailyDigests } from '../../libs/notifications/src';
import { awaitingDecision, createFund, SIGNED } from '../support/funds';
import { TestStack, TestUser } from '../support/stack';

/** What people choose to receive: optional reminders off, or (staff) one digest a day. */
describe('notification preferences', () => {
  let s: TestStack;
  let applicant: TestUser;

  beforeAll(async () => {
    s = await TestStack.start();
    applicant = await s.user('applicant');
  });

  afterAll(async () => {
    await s?.stop();
  });

  const prefs = (u: TestUser) => s.request('GET', '/api/v1/me/notification-preferences', u.token);
  const setPrefs = (u: TestUser, body: unknown) =>
    s.request('PUT', '/api/v1/me/notification-preferences', u.token, body);

  it('lets an applicant switch optional reminders off, but not choose the staff digest; bad input changes nothing', async () => {
    expect((await prefs(applicant)).body).toEqual({
      optionalReminders: true,
      dailyDigest: false,
      digestAvailable: false,
    });
    const digest = await setPrefs(applicant, { dailyDigest: true, optionalReminders: false });
    expect(digest.status).toBe(422);
    expect(digest.body.errors).toEqual([
      { field: 'dailyDigest', message: 'only staff accounts can choose a daily digest' },
    ]);
    const typo = await setPrefs(applicant, { optionalReminders: 'no', mandatory: false });
    expect(typo.status).toBe(400);
    expect(typo.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['mandatory', 'optionalReminders']);
    expect((await prefs(applicant)).body.optionalReminders).toBe(true);
    expect((await setPrefs(applicant, { optionalReminders: false })).body).toEqual({
      optionalReminders: false,
      dailyDigest: false,
      digestAvailable: false,
    });
    await setPrefs(applicant, { optionalReminders: true });
  });

  it('holds an officer’s emails for one daily digest while the other officer gets each as it happens', async () => {
    const fund = await createFund(s);
    const digestReader = await s.user('officer', fund.definition.managingOrganisation.slug);
    expect((await setPrefs(digestReader, { dailyDigest: true })).body).toMatchObject({
      dailyDigest: true,
      digestAvailable: true,
    });
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 120_000 }]);
    expect(
      (
        await s.request('POST', `/api/v1/applications/${app.id}/actions/approve`, fund.panel.token, {
          amountPence: 120_000,
        })
      ).status,
    ).toBe(200);
    expect(
      (await s.request('POST', `/api/v1/applications/${app.id}/actions/accept-offer`, applicant.token, SIGNED)).status,
    ).toBe(200);
    const [{ reference }] = await s.ds.query('SELECT reference FROM applications WHERE id = $1', [app.id]);

    await s.smtp.waitFor(() => s.smtp.to(fund.officer.email).some((m) => m.subject.includes(reference)));
    const held = await s.ds.query(`SELECT template, status FROM notifications WHERE recipient_user_id = $1`, [
      digestReader.userId,
    ]);
    expect(held).toEqual([{ template: 'offer-accepted', status: 'held' }]);

    expect(await s.worker!.get(DailyDigests).run()).toBeGreaterThanOrEqual(1);
    expect(await s.worker!.get(DailyDigests).run()).toBe(0);
    await s.smtp.waitFor(() => s.smtp.to(digestReader.email).length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    const mail = s.smtp.to(digestReader.email);
    expect(mail.map((m) => m.subject)).toEqual(['Your daily summary: 1 update']);
    expect(mail[0].text).toContain(`Offer accepted (${reference})`);
    expect(mail[0].text).toContain(`/desk/applications/${app.id}`);
    expect(
      await s.ds.query(
        `SELECT status FROM notifications WHERE recipient_user_id = $1 AND template = 'offer-accepted'`,
        [digestReader.userId],
      ),
    ).toEqual([{ status: 'digested' }]);
  });
});
