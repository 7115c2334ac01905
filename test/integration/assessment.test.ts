import { declareNoConflict } from '../support/funds';
import { completeAnswers, organisationProfile, rubricScores } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

/**
 * Screening's checks and the risk-capability assessment through the API: who may see and do
 * what, a high-tier activity with a gap giving "capable with conditions" and its proposed
 * conditions, the override rule and the countersignature by a second officer.
 */
describe('eligibility and the risk-capability assessment', () => {
  let s: TestStack;
  let otherPanel: TestUser;
  let officer: TestUser,
    secondOfficer: TestUser,
    hartlepool: TestUser,
    middlesbrough: TestUser,
    panel: TestUser,
    applicant: TestUser,
    funder: TestUser,
    admin: TestUser;
  let fundId: string, appId: string, hartlepoolAppId: string;
  const path = (id: string, rest = '') => `/api/v1/applications/${id}${rest}`;

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    admin = await s.user('admin');
    const d = s.pilotDefinition();
    fundId = (await s.request('POST', '/api/v1/funds', admin.token, d)).body.id;
    officer = await s.user('officer', d.managingOrganisation.slug);
    secondOfficer = await s.user('officer', d.managingOrganisation.slug);
    hartlepool = await s.user('partner_officer', d.partners[0].slug);
    middlesbrough = await s.user('partner_officer', d.partners[1].slug);
    panel = await s.user('panel_member', d.managingOrganisation.slug);
    otherPanel = await s.user('panel_member', d.managingOrganisation.slug);
    funder = await s.user('funder_viewer', d.funder.slug);
    applicant = await s.user('applicant');
    // A Stockton group with no safeguarding lead, proposing one-to-one support (high tier).
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      applicant.token,
      organisationProfile({
        registrationNumber: '',
        legalForm: 'other',
        name: `Assess ${s.suffix}`,
        postcode: 'TS18 2AB',
        safeguardingLeadName: undefined,
        safeguardingLeadRole: undefined,
      }),
    );
    const app = await s.request('POST', '/api/v1/applications', applicant.token, {
      fundId,
      organisationId: org.body.id,
      answers: completeAnswers({ risk_tier: 'high' }),
    });
    appId = app.body.id;
    expect((await s.request('POST', path(appId, '/actions/submit'), applicant.token, {})).status).toBe(200);
    const hOrg = await s.request(
      'POST',
      '/api/v1/organisations',
      applicant.token,
      organisationProfile({
        registrationNumber: '',
        legalForm: 'other',
        name: `Hartlepool ${s.suffix}`,
        postcode: 'TS24 8AA',
        areaCode: 'E06000001',
      }),
    );
    hartlepoolAppId = (
      await s.request('POST', '/api/v1/applications', applicant.token, {
        fundId,
        organisationId: hOrg.body.id,
        answers: completeAnswers(),
      })
    ).body.id;
    expect((await s.request('POST', path(hartlepoolAppId, '/actions/submit'), applicant.token, {})).status).toBe(200);
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('computes the eligibility checks at submission, with reasons', async () => {
    const r = await s.request('GET', path(appId, '/assessment'), officer.token);
    expect(r.status).toBe(200);
    const checks = Object.fromEntries(
      r.body.eligibility.checks.map((c: { id: string; passed: boolean; reason: string }) => [c.id, c]),
    );
    expect(Object.keys(checks)).toEqual([
      'fund_open',
      'legal_form',
      'area',
      'amount_within_headroom',
      'documents',
      'led_by_and_for',
    ]);
    expect(checks.area).toMatchObject({ passed: true });
    expect(checks.amount_within_headroom).toMatchObject({ passed: true, reason: expect.stringContaining('£4,500.00') });
    expect(checks.led_by_and_for).toMatchObject({ passed: true });
    expect(r.body.declaredRiskTier).toBe('high');
    expect(r.body.assessment).toBeNull();
  });

  it('shows assessments and notes only to those with an officer’s view of the application; every new route refuses other roles', async () => {
    for (const who of [applicant, funder, admin, middlesbrough]) {
      expect((await s.request('GET', path(appId, '/assessment'), who.token)).status).toBe(404);
      expect((await s.request('GET', path(appId, '/notes'), who.token)).status).toBe(404);
      expect((await s.request('PUT', path(appId, '/assessment'), who.token, { scores: rubricScores() })).status).toBe(
        who === applicant || who === funder || who === admin ? 403 : 404,
      );
      expect((await s.request('POST', path(appId, '/assessment/countersign'), who.token)).status).toBe(
        who === applicant || who === funder || who === admin ? 403 : 404,
      );
      expect((await s.request('POST', path(appId, '/notes'), who.token, { body: 'x' })).status).toBe(404);
    }
    // Partner officers see their own area only.
    expect((await s.request('GET', path(hartlepoolAppId), hartlepool.token)).status).toBe(200);
    expect((await s.request('GET', path(hartlepoolAppId, '/assessment'), hartlepool.token)).status).toBe(200);
    expect((await s.request('GET', path(hartlepoolAppId), middlesbrough.token)).status).toBe(404);
    expect((await s.request('GET', path(appId), hartlepool.token)).status).toBe(404);
    expect((await s.request('PUT', path(appId, '/assessment'), panel.token, { scores: rubricScores() })).status).toBe(
      403,
    );
  });

  it('is scored only in risk_assessment, and complete-assessment waits for it', async () => {
    expect(await s.request('PUT', path(appId, '/assessment'), officer.token, { scores: rubricScores() })).toMatchObject(
      { status: 409, body: { code: 'not_in_assessment' } },
    );
    expect((await s.request('POST', path(appId, '/actions/start-screening'), officer.token, {})).status).toBe(200);
    // Screening's judgement waits for the officer's declaration on conflicts of interest.
    expect(await s.request('POST', path(appId, '/actions/confirm-eligible'), officer.token, {})).toMatchObject({
      status: 409,
      body: { code: 'declaration_required' },
    });
    await declareNoConflict(s, officer, appId);
    expect((await s.request('POST', path(appId, '/actions/confirm-eligible'), officer.token, {})).status).toBe(200);
    expect(
      await s.request('PUT', path(appId, '/assessment'), secondOfficer.token, { scores: rubricScores() }),
    ).toMatchObject({ status: 409, body: { code: 'declaration_required' } });
    expect(await s.request('POST', path(appId, '/actions/complete-assessment'), officer.token, {})).toMatchObject({
      status: 422,
      body: { code: 'assessment_missing' },
    });
    const bad = await s.request('PUT', path(appId, '/assessment'), officer.token, {
      scores: { ...rubricScores(), safeguarding: 4, governance: undefined, mood: 2 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'scores.governance',
      'scores.mood',
      'scores.safeguarding',
    ]);
    expect((await s.request('GET', path(appId, '/assessment'), officer.token)).body.assessment).toBeNull();
  });

  it('computes "capable with conditions" for a high-tier activity with a gap, proposing the conditions by rule', async () => {
    const r = await s.request('PUT', path(appId, '/assessment'), officer.token, {
      scores: rubricScores({ risk_identification: 1 }),
      notes: { risk_identification: 'Relies on the coordinator’s judgement; no checklist yet.' },
      recommendedPence: 400_000,
    });
    expect(r.status).toBe(200);
    expect(r.body.assessment.recommendedPence).toBe(400_000);
    expect(r.body.assessment).toMatchObject({
      riskTier: 'high',
      computedOutcome: 'capable_with_conditions',
      outcome: 'capable_with_conditions',
      countersignRequired: true,
      countersignedBy: null,
    });
    expect(
      r.body.assessment.proposedConditions.map((c: { text: string; blocks: string }) => [c.text, c.blocks]),
    ).toEqual([
      ['Adopt a recognised risk identification checklist and train everyone who will use it', 'first_payment'],
      ['Name a safeguarding lead before the first payment', 'first_payment'],
      ['Adopt a written safeguarding policy before the first payment', 'first_payment'], // it answered "no written policy"
    ]);
    expect(r.body.assessment.areas.find((a: { areaId: string }) => a.areaId === 'risk_identification')).toMatchObject({
      score: 1,
      minimum: 2,
      status: 'gap',
    });
    expect(
      await s.request('PUT', path(appId, '/assessment'), officer.token, {
        scores: rubricScores({ risk_identification: 1 }),
        recommendedPence: 450_001,
      }),
    ).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'recommendedPence' }] },
    });
    // The officer may override the outcome only with a reason.
    expect(
      await s.request('PUT', path(appId, '/assessment'), officer.token, {
        scores: rubricScores({ risk_identification: 1 }),
        overrideOutcome: 'capable',
      }),
    ).toMatchObject({
      status: 422,
      body: { code: 'override_needs_reason', errors: [{ field: 'overrideReason' }] },
    });
  });

  it('needs a second officer’s countersignature for a high-tier activity before the assessment completes', async () => {
    expect(await s.request('POST', path(appId, '/actions/complete-assessment'), officer.token, {})).toMatchObject({
      status: 422,
      body: { code: 'countersignature_required' },
    });
    expect(await s.request('POST', path(appId, '/assessment/countersign'), officer.token)).toMatchObject({
      status: 403,
      body: { code: 'countersigner_is_assessor' },
    });
    expect(await s.request('POST', path(appId, '/assessment/countersign'), secondOfficer.token)).toMatchObject({
      status: 409,
      body: { code: 'declaration_required' },
    });
    await declareNoConflict(s, secondOfficer, appId);
    const signed = await s.request('POST', path(appId, '/assessment/countersign'), secondOfficer.token);
    expect(signed.status).toBe(200);
    expect(signed.body.assessment.countersignedBy.userId).toBe(secondOfficer.userId);
    expect(await s.request('POST', path(appId, '/assessment/countersign'), secondOfficer.token)).toMatchObject({
      status: 409,
      body: { code: 'already_countersigned' },
    });
    expect(
      (await s.request('POST', path(appId, '/actions/complete-assessment'), officer.token, {})).body.application.state,
    ).toBe('awaiting_decision');
  });

  it('keeps internal notes from applicants; officers write them and the panel reads them', async () => {
    expect(
      (
        await s.request('POST', path(appId, '/notes'), officer.token, {
          body: 'Spoke to the coordinator: checklist training booked for January.',
        })
      ).status,
    ).toBe(201);
    expect((await s.request('POST', path(appId, '/notes'), officer.token, { body: '' })).status).toBe(400);
    const read = await s.request('GET', path(appId, '/notes'), panel.token);
    expect(read.body.items.map((n: { body: string }) => n.body)).toEqual([
      'Spoke to the coordinator: checklist training booked for January.',
    ]);
    expect((await s.request('POST', path(appId, '/notes'), panel.token, { body: 'A panel note' })).status).toBe(403);
    expect((await s.request('GET', path(appId, '/notes'), applicant.token)).status).toBe(404);
    const view = await s.request('GET', path(appId), applicant.token);
    expect(JSON.stringify(view.body)).not.toContain('checklist training booked');
  });

  it('keeps a conflicted panel member and the assessor from deciding; another member approves a partial amount with tracked conditions', async () => {
    const before = (await s.ds.query('SELECT state, version FROM applications WHERE id = $1', [appId]))[0];
    expect(
      (
        await s.request('PUT', path(appId, '/conflict-of-interest'), panel.token, {
          conflicted: true,
          note: 'I volunteer there',
        })
      ).status,
    ).toBe(200);
    expect(await s.request('GET', path(appId, '/assessment'), panel.token)).toMatchObject({
      status: 403,
      body: { code: 'conflict_of_interest' },
    });
    expect(
      await s.request('POST', path(appId, '/actions/approve'), panel.token, { amountPence: 300_000 }),
    ).toMatchObject({ status: 403, body: { code: 'conflict_of_interest' } });
    expect(await s.request('POST', path(appId, '/actions/reject'), panel.token, { reason: 'x' })).toMatchObject({
      status: 403,
      body: { code: 'conflict_of_interest' },
    });
    // The conflicted member sees that the application exists, and nothing it holds.
    for (const rest of ['', '/notes', '/conditions', '/events'])
      expect(await s.request('GET', path(appId, rest), panel.token)).toMatchObject({
        status: 403,
        body: { code: 'conflict_of_interest' },
      });
    const listed = await s.request('GET', `/api/v1/applications?fundId=${fundId}`, panel.token);
    const item = listed.body.items.find((a: { id: string }) => a.id === appId);
    expect(item).toMatchObject({ reference: expect.any(String), state: 'awaiting_decision', conflictOfInterest: true });
    expect(item).toMatchObject({ answers: {}, summary: '', title: '', allowedActions: [] });
    expect(await s.request('GET', path(appId, '/conflict-of-interest'), panel.token)).toMatchObject({
      status: 200,
      body: { state: 'awaiting_decision', conflicted: true, history: [{ conflicted: true }] },
    });
    // The officer who scored the assessment may not decide it either.
    expect(
      await s.request('POST', path(appId, '/actions/approve'), officer.token, { amountPence: 300_000 }),
    ).toMatchObject({ status: 403, body: { code: 'approver_is_assessor' } });
    expect((await s.ds.query('SELECT state, version FROM applications WHERE id = $1', [appId]))[0]).toEqual(before);

    const seen = await s.request('GET', path(appId, '/assessment'), otherPanel.token);
    expect(seen.status).toBe(200);
    expect(
      await s.request('POST', path(appId, '/actions/approve'), otherPanel.token, { amountPence: 300_000 }),
    ).toMatchObject({ status: 409, body: { code: 'declaration_required' } });
    await declareNoConflict(s, otherPanel, appId);
    const proposed = seen.body.assessment.proposedConditions as {
      text: string;
      evidence: string;
      blocks: string;
      source: string;
    }[];
    const approved = await s.request('POST', path(appId, '/actions/approve'), otherPanel.token, {
      amountPence: 300_000,
      reason: 'Part-funded: the one-to-one element waits for the checklist',
      conditionDetails: [
        {
          text: 'Two signatories for payments from the grant',
          evidenceRequired: 'The bank mandate',
          blocks: 'offer_acceptance',
        },
        ...proposed.map((c) => ({ text: c.text, evidenceRequired: c.evidence, blocks: c.blocks, source: c.source })),
      ],
    });
    expect(approved.status).toBe(200);
    expect(approved.body.application).toMatchObject({ state: 'offered', awardedPence: 300_000 });
  });

  it('tracks the conditions: acceptance waits for its blocker, the grant (and its first payment) for the rest', async () => {
    const list = async (token = applicant.token) =>
      (await s.request('GET', path(appId, '/conditions'), token)).body.items as {
        id: string;
        text: string;
        blocks: string;
        status: string;
      }[];
    const conditions = await list();
    expect(conditions.map((c) => [c.blocks, c.status])).toEqual([
      ['offer_acceptance', 'open'],
      ['first_payment', 'open'],
      ['first_payment', 'open'],
      ['first_payment', 'open'],
    ]);
    expect(
      await s.request('POST', path(appId, '/actions/accept-offer'), applicant.token, {
        signatoryName: 'A. Khan',
        signatoryRole: 'Chair',
        acceptsTerms: true,
      }),
    ).toMatchObject({
      status: 422,
      body: { code: 'conditions_unmet', detail: expect.stringContaining('Two signatories') },
    });
    expect(
      (await s.request('POST', path(appId, `/conditions/${conditions[0].id}/met`), applicant.token, { note: 'x' }))
        .status,
    ).toBe(403);
    expect(
      (await s.request('POST', path(appId, `/conditions/${conditions[0].id}/waive`), panel.token, { note: 'x' }))
        .status,
    ).toBe(403);
    for (const who of [funder, admin, middlesbrough]) {
      expect((await s.request('GET', path(appId, '/conditions'), who.token)).status).toBe(404);
      expect(
        (await s.request('POST', path(appId, `/conditions/${conditions[0].id}/met`), who.token, { note: 'x' })).status,
      ).toBe(who === middlesbrough ? 404 : 403);
    }
    for (const who of [applicant, funder])
      expect(
        (await s.request('PUT', path(appId, '/conflict-of-interest'), who.token, { conflicted: false })).status,
      ).toBe(403);
    expect(
      (await s.request('POST', path(appId, `/conditions/${conditions[0].id}/met`), officer.token, { note: '' })).status,
    ).toBe(400);
    expect(
      (
        await s.request('POST', path(appId, `/conditions/${conditions[0].id}/met`), officer.token, {
          note: 'Bank mandate seen, two trustees',
        })
      ).status,
    ).toBe(200);
    expect(
      await s.request('POST', path(appId, `/conditions/${conditions[0].id}/met`), officer.token, { note: 'again' }),
    ).toMatchObject({ status: 409, body: { code: 'condition_resolved' } });
    expect(
      (
        await s.request('POST', path(appId, '/actions/accept-offer'), applicant.token, {
          signatoryName: 'A. Khan',
          signatoryRole: 'Chair',
          acceptsTerms: true,
        })
      ).body.application.state,
    ).toBe('conditions_pending');

    // No payment can go out while conditions on the first payment are open.
    expect((await s.request('GET', path(appId), officer.token)).body.payments).toEqual([]);
    expect(await s.request('POST', path(appId, '/actions/confirm-conditions'), officer.token, {})).toMatchObject({
      status: 422,
      body: { code: 'conditions_unmet', detail: expect.stringContaining('Name a safeguarding lead') },
    });
    await s.request('POST', path(appId, `/conditions/${conditions[1].id}/met`), officer.token, {
      note: 'Checklist adopted; training records seen',
    });
    await s.request('POST', path(appId, `/conditions/${conditions[2].id}/met`), officer.token, {
      note: 'Lead named: the chair, trained in 2026',
    });
    await s.request('POST', path(appId, `/conditions/${conditions[3].id}/waive`), officer.token, {
      note: 'The partner specialist service’s policy applies to the sessions',
    });
    const resolved = await list(officer.token);
    expect(resolved.map((c) => c.status)).toEqual(['met', 'met', 'met', 'waived']);
    const active = await s.request('POST', path(appId, '/actions/confirm-conditions'), officer.token, {});
    expect(active.body.application.state).toBe('active');
    const payment = active.body.application.payments[0];
    expect(
      (
        await s.request('POST', path(appId, '/actions/release-payment'), officer.token, {
          paymentId: payment.id,
          reference: 'BACS-7',
        })
      ).status,
    ).toBe(200);
  });

  it('lets the assessor approve where the fund allows it', async () => {
    const d = s.pilotDefinition();
    d.approverMayBeAssessor = true;
    const fund = (await s.request('POST', '/api/v1/funds', admin.token, d)).body.id;
    const sole = await s.user('officer', d.managingOrganisation.slug);
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      applicant.token,
      organisationProfile({
        registrationNumber: '',
        legalForm: 'other',
        name: `Sole ${s.suffix}`,
        postcode: 'TS18 3AB',
      }),
    );
    const id = (
      await s.request('POST', '/api/v1/applications', applicant.token, {
        fundId: fund,
        organisationId: org.body.id,
        answers: completeAnswers(),
      })
    ).body.id;
    expect((await s.request('POST', path(id, '/actions/submit'), applicant.token, {})).status).toBe(200);
    await declareNoConflict(s, sole, id);
    for (const action of ['start-screening', 'confirm-eligible'])
      expect((await s.request('POST', path(id, `/actions/${action}`), sole.token, {})).status).toBe(200);
    expect((await s.request('PUT', path(id, '/assessment'), sole.token, { scores: rubricScores() })).status).toBe(200);
    expect((await s.request('POST', path(id, '/actions/complete-assessment'), sole.token, {})).status).toBe(200);
    expect(
      (await s.request('POST', path(id, '/actions/approve'), sole.token, { amountPence: 100_000 })).body.application
        .state,
    ).toBe('offered');
  });
});
