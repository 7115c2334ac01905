import { OpenApiValidator, validateResponses } from '../support/openapi-validator';
import { completeAnswers, organisationProfile, reportAnswers, rubricScores } from '../support/pilot';
import { declareIfJudging } from '../support/funds';
import { TestStack, TestUser } from '../support/stack';

const notificationId = (messageId: string) => Number(/notification-(\d+)@/.exec(messageId)?.[1] ?? NaN);

/**
 * One application from draft to closed through the HTTP API, with the worker sending real emails
 * to a real SMTP server: every email arrives once, to the right person, saying the right thing,
 * and the fund's ledger balances at the end.
 */
describe('an application from draft to closed', () => {
  let s: TestStack;
  let admin: TestUser, officer: TestUser, panel: TestUser, applicant: TestUser;
  let fundId: string;
  let described: OpenApiValidator;

  beforeAll(async () => {
    s = await TestStack.start();
    // Every response below is checked against the API description (status, media type, schema).
    described = await validateResponses(s);
    admin = await s.user('admin');
    const definition = s.pilotDefinition();
    const created = await s.request('POST', '/api/v1/funds', admin.token, definition);
    expect(created.status).toBe(201);
    fundId = created.body.id;
    officer = await s.user('officer', definition.managingOrganisation.slug);
    panel = await s.user('panel_member', definition.managingOrganisation.slug);
    applicant = await s.user('applicant');
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('walks the whole lifecycle with the money and the emails exactly right', async () => {
    const fund = await s.request('GET', `/api/v1/funds/${fundId}`, officer.token);
    expect(fund.body.money).toMatchObject({
      totalPence: 3_000_000,
      feePence: 450_000,
      grantablePence: 2_550_000,
      availablePence: 2_550_000,
    });

    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      applicant.token,
      organisationProfile({ registrationNumber: `11${s.suffix.slice(0, 5).replace(/\D/g, '1').padEnd(5, '1')}` }),
    );
    expect(org.status).toBe(201);

    const draft = await s.request('POST', '/api/v1/applications', applicant.token, {
      fundId,
      organisationId: org.body.id,
      answers: completeAnswers(),
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ state: 'draft', allowedActions: ['submit', 'discard'] });
    const id: string = draft.body.id;
    const reference: string = draft.body.reference;

    const act = async (who: TestUser, action: string, body: object = {}, expected = 200) => {
      await declareIfJudging(s, who, id, action);
      const r = await s.request('POST', `/api/v1/applications/${id}/actions/${action}`, who.token, body);
      if (r.status !== expected) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    // Officers cannot see drafts; after submission they can, with their own allowed actions.
    expect((await s.request('GET', `/api/v1/applications/${id}`, officer.token)).status).toBe(404);
    expect((await act(applicant, 'submit')).application.state).toBe('submitted');
    const seen = await s.request('GET', `/api/v1/applications/${id}`, officer.token);
    expect(seen.body).toMatchObject({ state: 'submitted', allowedActions: ['start-screening'] });
    expect((await s.request('GET', `/api/v1/applications/${id}`, applicant.token)).body.allowedActions).toEqual([
      'withdraw',
    ]);

    await act(officer, 'start-screening');
    await act(officer, 'confirm-eligible');
    await act(officer, 'request-information', { message: 'Who will be your safeguarding lead?' });
    expect(
      (await act(applicant, 'provide-information', { message: 'Our chair, who completed level 3 training' }))
        .application.state,
    ).toBe('risk_assessment');
    const scored = await s.request('PUT', `/api/v1/applications/${id}/assessment`, officer.token, {
      scores: rubricScores(),
    });
    // Without a written safeguarding policy, the rubric proposes adopting one.
    expect(scored.body.assessment).toMatchObject({
      riskTier: 'medium',
      outcome: 'capable_with_conditions',
      countersignRequired: false,
    });
    expect(scored.body.assessment.proposedConditions.map((c: { text: string }) => c.text)).toEqual([
      'Adopt a written safeguarding policy before the first payment',
    ]);
    await act(officer, 'complete-assessment');

    // A decision the fund cannot make is refused with the reason and changes nothing.
    const tooMuch = await s.request('POST', `/api/v1/applications/${id}/actions/approve`, panel.token, {
      amountPence: 450_001,
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.headers.get('content-type')).toContain('application/problem+json');
    expect(tooMuch.body).toMatchObject({ code: 'exceeds_requested_amount', errors: [{ field: 'amountPence' }] });

    const offered = await act(panel, 'approve', { amountPence: 400_000, reason: 'Strong community reach' });
    expect(offered.application).toMatchObject({ state: 'offered', awardedPence: 400_000 });
    expect(offered.application.offerExpiresAt).toBeTruthy();

    const active = await act(applicant, 'accept-offer', {
      signatoryName: 'A. Khan',
      signatoryRole: 'Chair of trustees',
      acceptsTerms: true,
    });
    expect(active.application.state).toBe('active');
    expect(active.application.payments).toEqual([
      expect.objectContaining({ tranche: 1, amountPence: 400_000, state: 'scheduled' }),
    ]);
    expect(active.application.reports.map((r: { kind: string }) => r.kind)).toEqual(['interim', 'final']);

    await act(officer, 'release-payment', {
      paymentId: active.application.payments[0].id,
      reference: 'BACS-2027-0001',
    });
    const [interim, final] = active.application.reports;
    // Reports are answered on the fund's report form (counts only), then submitted.
    const save = async (reportId: string, answers: object) =>
      expect(
        (await s.request('PUT', `/api/v1/applications/${id}/reports/${reportId}`, applicant.token, { answers })).status,
      ).toBe(200);
    await save(interim.id, reportAnswers(200_000));
    await act(applicant, 'submit-report', { reportId: interim.id });
    expect((await act(officer, 'accept-report', { reportId: interim.id })).application.state).toBe('active');
    await save(final.id, reportAnswers(380_000));
    await act(applicant, 'submit-report', { reportId: final.id });
    const closing = await act(officer, 'accept-report', { reportId: final.id });
    expect(closing.application).toMatchObject({
      state: 'closing',
      allowedActions: ['record-return', 'waive-underspend'],
    });

    // £200 unspent must come back (or be waived) before the grant can close.
    expect((await s.request('POST', `/api/v1/applications/${id}/actions/close`, officer.token)).status).toBe(409);
    await act(officer, 'record-return', { amountPence: 20_000, reference: 'REFUND-0001' });
    const closed = await act(officer, 'close');
    expect(closed.application).toMatchObject({ state: 'closed', allowedActions: [] });

    // The ledger balances: £4,000 committed, paid, and £200 returned; nothing left promised.
    const money = (await s.request('GET', `/api/v1/funds/${fundId}`, officer.token)).body.money;
    expect(money).toMatchObject({
      committedPence: 0,
      disbursedPence: 400_000,
      returnedPence: 20_000,
      availablePence: 2_550_000 - 380_000,
      reconciled: true,
    });
    const ledger = (await s.request('GET', `/api/v1/funds/${fundId}/ledger`, officer.token)).body.items;
    expect(ledger.map((e: { kind: string; amountPence: number }) => [e.kind, e.amountPence])).toEqual([
      ['allocation', 3_000_000],
      ['fee', 450_000],
      ['commitment', 400_000],
      ['disbursement', 400_000],
      ['return', 20_000],
    ]);
    const events = (await s.request('GET', `/api/v1/applications/${id}/events`, applicant.token)).body.items;
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'start-screening',
      'confirm-eligible',
      'request-information',
      'provide-information',
      'complete-assessment',
      'approve',
      'accept-offer',
      'release-payment',
      'submit-report',
      'accept-report',
      'submit-report',
      'accept-report',
      'record-return',
      'close',
    ]);

    // Every email once, to the right person, with the right content.
    const toApplicant = ['Application received', 'information', 'offer', 'active', 'payment', 'closed'];
    const toOfficer = 5; // new submission, information provided, offer accepted, two reports submitted
    await s.smtp.waitFor(
      () => s.smtp.to(applicant.email).length >= toApplicant.length && s.smtp.to(officer.email).length >= toOfficer,
    );
    await new Promise((r) => setTimeout(r, 1000)); // anything sent twice would arrive by now
    // Several workers send at once, so arrival order is not event order; the notification id in the
    // Message-ID is (notifications are written in the transition that caused them).
    const inEventOrder = (mail: ReturnType<typeof s.smtp.to>) =>
      [...mail].sort((a, b) => notificationId(a.messageId) - notificationId(b.messageId));
    const applicantMail = inEventOrder(s.smtp.to(applicant.email));
    const officerMail = inEventOrder(s.smtp.to(officer.email));
    expect([...applicantMail, ...officerMail].every((m) => Number.isInteger(notificationId(m.messageId)))).toBe(true);
    expect(applicantMail).toHaveLength(6);
    expect(officerMail).toHaveLength(5);
    expect(s.smtp.to(panel.email)).toHaveLength(0);
    expect(s.smtp.received.filter((m) => m.subject.includes(reference))).toHaveLength(11);
    expect(new Set(s.smtp.received.map((m) => m.messageId)).size).toBe(s.smtp.received.length);
    for (const m of [...applicantMail, ...officerMail]) expect(m.subject).toContain(reference);

    const [received, info, offer, activeMail, payment, closedMail] = applicantMail;
    expect(received.text).toContain('Peer support circle in Punjabi and Urdu');
    expect(info.text).toContain('Who will be your safeguarding lead?');
    expect(offer.text).toContain('£4,000.00');
    expect(offer.html).toContain('£4,000.00');
    expect(activeMail.subject.length).toBeGreaterThan(0);
    expect(payment.text).toContain('£4,000.00');
    expect(payment.text).toContain('BACS-2027-0001');
    expect(closedMail.text.toLowerCase()).toContain('closed');
    expect(officerMail[0].text).toContain('Tees Valley Sisters');
    // The applicant's answer stays in the portal, never in an officer's inbox.
    expect(officerMail.map((m) => m.text).join('\n')).not.toContain('level 3 training');

    const rows = await s.ds.query(
      `SELECT status, count(*)::int AS n FROM notifications WHERE application_id = $1 GROUP BY status`,
      [id],
    );
    expect(rows).toEqual([{ status: 'sent', n: 11 }]);
    expect([...described.checked.keys()]).toEqual(
      expect.arrayContaining([
        'POST /api/v1/applications/{id}/actions/{action} 200',
        'POST /api/v1/applications/{id}/actions/{action} 409',
        'POST /api/v1/applications/{id}/actions/{action} 422',
        'GET /api/v1/applications/{id} 404',
      ]),
    );
  });
});
