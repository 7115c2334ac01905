import { awaitingDecision, createFund, declareNoConflict, SIGNED, TestFund } from '../support/funds';
import { Accounts } from '@sg/identity';
import { PageSession } from '../support/page-session';
import { completeAnswers, organisationProfile } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

/**
 * Issue 14, items 9 and 10 on real PostgreSQL: declarations before judging, kept as history; what a
 * conflicted person may not read; an offer past its expiry; who waives a condition that holds up
 * payment; who exports a fund's records; and a second officer confirming a payment's release.
 */
describe('conflicts of interest and the money safeguards', () => {
  let s: TestStack;
  let applicant: TestUser;
  let fund: TestFund;
  const path = (id: string, rest = '') => `/api/v1/applications/${id}${rest}`;
  const act = (id: string, who: TestUser, action: string, body: Record<string, unknown> = {}) =>
    s.request('POST', path(id, `/actions/${action}`), who.token, body);

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    applicant = await s.user('applicant');
    fund = await createFund(s);
  });

  /** A desk session for a member of staff. */
  async function desk(u: TestUser): Promise<PageSession> {
    await s.api.get(Accounts).setVerifiedPassword(u.userId, 'desk test passphrase');
    const p = new PageSession(s);
    await p.signIn(u.email, 'desk test passphrase');
    return p;
  }

  afterAll(async () => {
    await s?.stop();
  });

  /** A submitted application on the pilot fund, from its own organisation in Stockton. */
  async function submitted(): Promise<string> {
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      applicant.token,
      organisationProfile({
        name: `Group ${Math.random().toString(36).slice(2, 8)}`,
        registrationNumber: '',
        legalForm: 'other',
        postcode: 'TS18 2AB',
      }),
    );
    const app = await s.request('POST', '/api/v1/applications', applicant.token, {
      fundId: fund.id,
      organisationId: org.body.id,
      answers: completeAnswers(),
    });
    expect((await act(app.body.id, applicant, 'submit')).status).toBe(200);
    return app.body.id;
  }

  it('keeps declarations as history: a change is a new row and a security event; rows cannot be rewritten', async () => {
    const id = await submitted();
    const officer = fund.officer;
    expect((await act(id, officer, 'start-screening')).status).toBe(200);
    expect(await act(id, officer, 'mark-ineligible', { reason: 'x' })).toMatchObject({
      status: 409,
      body: { code: 'declaration_required' },
    });
    const declare = (conflicted: boolean) =>
      s.request('PUT', path(id, '/conflict-of-interest'), officer.token, { conflicted, note: 'My own words' });
    expect((await declare(false)).status).toBe(200);
    expect((await declare(true)).status).toBe(200);
    expect(await act(id, officer, 'confirm-eligible')).toMatchObject({
      status: 403,
      body: { code: 'conflict_of_interest' },
    });
    expect((await declare(false)).status).toBe(200);
    const rows = await s.ds.query(
      'SELECT conflicted FROM conflict_declarations WHERE application_id = $1 AND user_id = $2 ORDER BY id',
      [id, officer.userId],
    );
    expect(rows.map((r: { conflicted: boolean }) => r.conflicted)).toEqual([false, true, false]);
    await expect(
      s.ds.query('UPDATE conflict_declarations SET conflicted = true WHERE application_id = $1', [id]),
    ).rejects.toThrow(/append-only/);
    await expect(s.ds.query('DELETE FROM conflict_declarations WHERE application_id = $1', [id])).rejects.toThrow(
      /append-only/,
    );
    const events = await s.ds.query(
      `SELECT detail FROM security_events WHERE kind = 'conflict_declared' AND actor_user_id = $1 ORDER BY id`,
      [officer.userId],
    );
    expect(events.map((e: { detail: Record<string, unknown> }) => e.detail)).toEqual([
      { applicationId: id, conflicted: false, changed: false },
      { applicationId: id, conflicted: true, changed: true },
      { applicationId: id, conflicted: false, changed: true },
    ]);
    // The person's own words stay with the declaration, out of the log.
    expect(JSON.stringify(events)).not.toContain('My own words');
    expect((await act(id, officer, 'confirm-eligible')).status).toBe(200);
  });

  it('shows a conflicted officer that the application exists and nothing it holds, on the API and the desk', async () => {
    const id = await submitted();
    const officer = await s.user('officer', fund.definition.managingOrganisation.slug);
    expect(
      (await s.request('PUT', path(id, '/conflict-of-interest'), officer.token, { conflicted: true })).status,
    ).toBe(200);
    for (const rest of ['', '/events', '/assessment', '/notes', '/conditions', '/files', '/payments', '/reports'])
      expect((await s.request('GET', path(id, rest), officer.token)).status).toBe(403);
    expect((await s.request('POST', path(id, '/notes'), officer.token, { body: 'A note' })).body.code).toBe(
      'conflict_of_interest',
    );
    expect((await act(id, officer, 'start-screening')).status).toBe(403);
    const list = await s.request('GET', `/api/v1/applications?fundId=${fund.id}`, officer.token);
    const item = list.body.items.find((a: { id: string }) => a.id === id);
    expect(item).toMatchObject({ state: 'submitted', conflictOfInterest: true, answers: {}, allowedActions: [] });
    expect(JSON.stringify(item)).not.toContain('Peer support circle');
    // Another officer still reads it all.
    const other = await s.request('GET', path(id), fund.officer.token);
    expect(other.body.answers.project_name).toBe('Peer support circle in Punjabi and Urdu');

    // The desk shows the conflicted officer a notice, and no answers.
    const page = await desk(officer);
    const conflicted = await page.get(`/desk/applications/${id}`);
    expect(conflicted.status).toBe(403);
    expect(conflicted.html).toContain('id="conflict-notice"');
    expect(conflicted.html).not.toContain('Peer support circle');
    expect(conflicted.html).not.toContain('/actions/');
  });

  it('asks on the desk for the declaration before the screening and decision forms', async () => {
    const id = await submitted();
    const officer = await s.user('officer', fund.definition.managingOrganisation.slug);
    const page = await desk(officer);
    expect(
      (await page.post(`/desk/applications/${id}/actions/start-screening`, {}, `/desk/applications/${id}`)).status,
    ).toBe(303);
    const before = await page.get(`/desk/applications/${id}`);
    expect(before.html).toContain('id="conflicted-hint"');
    expect(before.html).not.toContain('/actions/confirm-eligible');
    expect(before.html).toContain('/actions/request-information');
    const declared = await page.post(
      `/desk/applications/${id}/conflict-of-interest`,
      { conflicted: 'no' },
      `/desk/applications/${id}`,
    );
    expect(declared.status).toBe(303);
    const after = await page.get(`/desk/applications/${id}`);
    expect(after.html).not.toContain('id="conflicted-hint"');
    expect(after.html).toContain('id="conflict-notice"');
    expect(after.html).toContain('/actions/confirm-eligible');
  });

  it('refuses to accept an offer past its expiry even before the scheduler lapses it', async () => {
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 100_000 }]);
    expect((await act(app.id, fund.panel, 'approve', { amountPence: 100_000 })).status).toBe(200);
    await s.ds.query(`UPDATE applications SET offer_expires_at = now() - interval '1 minute' WHERE id = $1`, [app.id]);
    expect(await act(app.id, applicant, 'accept-offer', SIGNED)).toMatchObject({
      status: 409,
      body: { code: 'offer_lapsed' },
    });
    expect((await s.ds.query('SELECT state FROM applications WHERE id = $1', [app.id]))[0].state).toBe('offered');
    await s.ds.query(`UPDATE applications SET offer_expires_at = now() + interval '1 day' WHERE id = $1`, [app.id]);
    expect((await act(app.id, applicant, 'accept-offer', SIGNED)).body.application.state).toBe('active');
  });

  it("lets only the managing VDA's officers waive a condition that holds up payment; a partner officer meets it", async () => {
    const partner = await s.user('partner_officer', fund.definition.partners[1].slug);
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 100_000 }]);
    expect(
      (
        await act(app.id, fund.panel, 'approve', {
          amountPence: 100_000,
          conditionDetails: [
            { text: 'Name a safeguarding lead', evidenceRequired: 'The name', blocks: 'first_payment' },
            { text: 'Send the session plan', evidenceRequired: 'The plan', blocks: 'nothing' },
            { text: 'Adopt a lone-working policy', evidenceRequired: 'The policy', blocks: 'payments' },
          ],
        })
      ).status,
    ).toBe(200);
    const [blocking, other, later] = (await s.request('GET', path(app.id, '/conditions'), partner.token)).body.items;
    const resolve = (who: TestUser, c: { id: string }, how: 'met' | 'waive') =>
      s.request('POST', path(app.id, `/conditions/${c.id}/${how}`), who.token, { note: 'Seen' });
    expect(await resolve(partner, blocking, 'waive')).toMatchObject({
      status: 403,
      body: { code: 'waiver_not_permitted' },
    });
    expect((await resolve(partner, other, 'waive')).status).toBe(200);
    expect((await resolve(partner, blocking, 'met')).status).toBe(200);
    expect((await resolve(fund.officer, later, 'waive')).status).toBe(200);
    const statuses = (await s.request('GET', path(app.id, '/conditions'), fund.officer.token)).body.items.map(
      (c: { status: string }) => c.status,
    );
    expect(statuses).toEqual(['met', 'waived', 'waived']);
  });

  it("keeps a fund's records and exports from officers of its funder and of partners that do not manage it", async () => {
    const partnerOfficer = await s.user('officer', fund.definition.partners[0].slug);
    const funderOfficer = await s.user('officer', fund.definition.funder.slug);
    const admin = await s.user('admin');
    const records = [
      'exports/applications.csv',
      'exports/awards.csv',
      'exports/payments.csv',
      'exports/360giving.json',
      'ledger',
      'payment-run',
      'fee-statement',
    ];
    for (const r of records) {
      for (const who of [partnerOfficer, funderOfficer])
        expect([r, (await s.request('GET', `/api/v1/funds/${fund.id}/${r}`, who.token)).status]).toEqual([r, 403]);
      for (const who of [fund.officer, admin])
        expect([r, (await s.request('GET', `/api/v1/funds/${fund.id}/${r}`, who.token)).status]).toEqual([r, 200]);
    }
    expect((await s.request('GET', `/api/v1/funds/${fund.id}/money`, partnerOfficer.token)).status).toBe(403);
    expect((await s.request('GET', `/api/v1/funds/${fund.id}/money`, fund.officer.token)).status).toBe(200);
  });

  it('on a fund that needs two officers, one requests a release and a different one confirms it, once', async () => {
    const twoOfficers = await createFund(s, { paymentReleaseNeedsSecondOfficer: true });
    const first = twoOfficers.officer;
    const second = await s.user('officer', twoOfficers.definition.managingOrganisation.slug);
    const third = await s.user('officer', twoOfficers.definition.managingOrganisation.slug);
    const [app] = await awaitingDecision(s, twoOfficers.id, applicant, [{ amountPence: 200_000 }]);
    expect((await act(app.id, twoOfficers.panel, 'approve', { amountPence: 200_000 })).status).toBe(200);
    const active = await act(app.id, applicant, 'accept-offer', SIGNED);
    const paymentId = active.body.application.payments[0].id;
    const release = (who: TestUser) => act(app.id, who, 'release-payment', { paymentId, reference: 'BACS-2' });

    const view = await s.request('GET', path(app.id), first.token);
    expect(view.body.allowedActions).toEqual(expect.arrayContaining(['request-payment-release', 'release-payment']));
    expect(await release(first)).toMatchObject({ status: 409, body: { code: 'release_not_requested' } });
    expect((await act(app.id, first, 'request-payment-release', { paymentId })).status).toBe(200);
    expect(await release(first)).toMatchObject({ status: 403, body: { code: 'second_officer_required' } });
    // Two different officers confirm at once: one releases, the other is refused, money moves once.
    const both = await Promise.all([release(second), release(third)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const [money] = await s.ds.query(
      `SELECT count(*)::int AS n, sum(amount_pence)::int AS pence FROM ledger_entries WHERE application_id = $1 AND kind = 'disbursement'`,
      [app.id],
    );
    expect(money).toEqual({ n: 1, pence: 200_000 });
    const [fundRow] = await s.ds.query('SELECT disbursed_pence FROM funds WHERE id = $1', [twoOfficers.id]);
    expect(Number(fundRow.disbursed_pence)).toBe(200_000);

    // On a fund without the setting, one officer releases and there is nothing to request.
    const [single] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 50_000 }]);
    expect((await act(single.id, fund.panel, 'approve', { amountPence: 50_000 })).status).toBe(200);
    const accepted = await act(single.id, applicant, 'accept-offer', SIGNED);
    const pid = accepted.body.application.payments[0].id;
    expect(await act(single.id, fund.officer, 'request-payment-release', { paymentId: pid })).toMatchObject({
      status: 409,
      body: { code: 'second_officer_not_needed' },
    });
    expect((await act(single.id, fund.officer, 'release-payment', { paymentId: pid, reference: 'B-1' })).status).toBe(
      200,
    );
  });

  it('still declares nothing for those who never judge: an applicant or funder viewer cannot declare', async () => {
    const id = await submitted();
    for (const who of [applicant, await s.user('funder_viewer', fund.definition.funder.slug)])
      expect((await s.request('PUT', path(id, '/conflict-of-interest'), who.token, { conflicted: false })).status).toBe(
        403,
      );
    await declareNoConflict(s, fund.officer, id);
  });
});
