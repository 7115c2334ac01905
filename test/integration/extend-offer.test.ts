import { awaitingDecision, createFund, TestFund } from '../support/funds';
import { TestStack, TestUser } from '../support/stack';

/**
 * extend-offer over HTTP on real PostgreSQL: an officer of the fund gives the applicant longer to
 * accept, with a reason; the expiry moves, the event keeps both dates and the applicant is emailed.
 * Anyone else is refused, and a bad body changes nothing.
 */
describe('extending an offer', () => {
  let s: TestStack;
  let fund: TestFund;
  let applicant: TestUser;
  let partner: TestUser;

  beforeAll(async () => {
    s = await TestStack.start();
    fund = await createFund(s);
    applicant = await s.user('applicant');
    partner = await s.user('partner_officer', fund.definition.partners[1].slug);
  });

  afterAll(async () => {
    await s?.stop();
  });

  /** An application approved by the panel: offered, its offer lapsing after the fund's 30 days. */
  async function offered(): Promise<string> {
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 100_000 }]);
    const r = await s.request('POST', `/api/v1/applications/${app.id}/actions/approve`, fund.panel.token, {
      amountPence: 100_000,
    });
    expect(r.status).toBe(200);
    return app.id;
  }

  const row = async (id: string) =>
    (
      await s.ds.query(
        `SELECT state, version, offer_expires_at, to_char(offer_expires_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS expires_on,
           (SELECT count(*)::int FROM events WHERE application_id = a.id) AS events,
           (SELECT count(*)::int FROM notifications WHERE application_id = a.id) AS notifications
         FROM applications a WHERE id = $1`,
        [id],
      )
    )[0];

  const later = (day: string, days: number) => {
    const d = new Date(`${day}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };

  it('an officer moves the expiry to the end of the new day; the event records both dates; the applicant is emailed', async () => {
    const id = await offered();
    const before = await row(id);
    const newDay = later(before.expires_on, 14);
    const r = await s.request('POST', `/api/v1/applications/${id}/actions/extend-offer`, fund.officer.token, {
      offerExpiresOn: newDay,
      reason: 'The trustees meet next month',
    });
    expect(r.status).toBe(200);
    expect(r.body.transition).toMatchObject({ action: 'extend-offer', from: 'offered', to: 'offered' });
    expect(r.body.application.state).toBe('offered');
    const after = await row(id);
    expect(after).toMatchObject({ state: 'offered', version: before.version + 1, expires_on: newDay });
    // The last moment of that London day: a millisecond later it is the next day.
    const [{ next }] = await s.ds.query(
      `SELECT to_char(($1::timestamptz + interval '1 millisecond') AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS next`,
      [after.offer_expires_at],
    );
    expect(next).toBe(later(newDay, 1));
    const [event] = await s.ds.query(
      `SELECT action, from_state, to_state, reason, data, actor_user_id FROM events WHERE application_id = $1 ORDER BY id DESC LIMIT 1`,
      [id],
    );
    expect(event).toEqual({
      action: 'extend-offer',
      from_state: 'offered',
      to_state: 'offered',
      reason: 'The trustees meet next month',
      data: { previousExpiresOn: before.expires_on, offerExpiresOn: newDay },
      actor_user_id: fund.officer.userId,
    });
    const [{ reference }] = await s.ds.query('SELECT reference FROM applications WHERE id = $1', [id]);
    const extended = (m: { to: string[]; subject: string }) =>
      m.to.includes(applicant.email) && m.subject.includes(reference) && /extended/.test(m.subject);
    await s.smtp.waitFor((all) => all.some(extended));
    const mail = s.smtp.received.find(extended)!;
    expect(mail.text).toContain('The trustees meet next month');
    // The new last day, as people read dates (e.g. "Friday 8 January 2027").
    const [y, mo, d] = newDay.split('-').map(Number);
    const month = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ][mo - 1];
    expect(mail.text).toMatch(new RegExp(`Accept it by the end of [A-Z][a-z]+day ${d} ${month} ${y}\\.`));
  });

  it('refuses the applicant and a partner officer (403), and changes nothing', async () => {
    const id = await offered();
    const before = await row(id);
    const body = { offerExpiresOn: later(before.expires_on, 7), reason: 'Please' };
    for (const who of [applicant, partner]) {
      const r = await s.request('POST', `/api/v1/applications/${id}/actions/extend-offer`, who.token, body);
      expect(r).toMatchObject({ status: 403, body: { code: 'role_not_permitted' } });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await row(id)).toEqual(before);
  });

  it('refuses bad bodies with the field named, and changes nothing', async () => {
    const id = await offered();
    const before = await row(id);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [
        { offerExpiresOn: later(before.expires_on, 7), reason: 'x', amountPence: 1 },
        400,
        'validation_failed',
        'amountPence',
      ],
      [{ offerExpiresOn: '31/12/2099', reason: 'x' }, 400, 'validation_failed', 'offerExpiresOn'],
      [{ offerExpiresOn: later(before.expires_on, 7), reason: 7 }, 400, 'validation_failed', 'reason'],
      [{ offerExpiresOn: later(before.expires_on, 7) }, 422, 'invalid_command', 'reason'],
      [{ reason: 'x' }, 422, 'invalid_command', 'offerExpiresOn'],
      [{ offerExpiresOn: before.expires_on, reason: 'x' }, 422, 'expiry_not_later', 'offerExpiresOn'],
      [{ offerExpiresOn: later(before.expires_on, -3), reason: 'x' }, 422, 'expiry_not_later', 'offerExpiresOn'],
    ];
    for (const [body, status, code, field] of cases) {
      const r = await s.request('POST', `/api/v1/applications/${id}/actions/extend-offer`, fund.officer.token, body);
      expect({ body, status: r.status, code: r.body.code }).toEqual({ body, status, code });
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await row(id)).toEqual(before);
  });

  it('refuses once the offer has lapsed (409), and changes nothing', async () => {
    const id = await offered();
    await s.ds.query(`UPDATE applications SET offer_expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    const before = await row(id);
    const r = await s.request('POST', `/api/v1/applications/${id}/actions/extend-offer`, fund.officer.token, {
      offerExpiresOn: later(before.expires_on, 30),
      reason: 'Too late',
    });
    expect(r).toMatchObject({ status: 409, body: { code: 'offer_lapsed' } });
    expect(await row(id)).toEqual(before);
  });
});
