import { CLOCK } from '../../libs/config/src';
import { Clock } from '../../libs/domain/src';
import { awaitingDecision, createFund, SIGNED, TestFund } from '../support/funds';
import { completeAnswers, organisationProfile } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const NARRATIVE = 'Narrative-7f3a: we supported Mrs Example of Acklam Road every week.';
const STOCKTON = 'E06000004';
const MIDDLESBROUGH = 'E06000002';
const HARTLEPOOL = 'E06000001';

const counts = (rows: Record<string, number>) =>
  Object.fromEntries(Object.entries(rows).map(([row, count]) => [row, { count }]));

/** Four grants' accepted reports, per period (see the sums asserted below). */
const REPORTS = {
  stocktonInterim: {
    narrative: NARRATIVE,
    people_supported: 12,
    sessions_delivered: 20,
    new_volunteers: 3,
    safeguarding_raised: 2,
    safeguarding_escalated: 1,
    spend_to_date: 150_000,
    referrals: { police: { out: 3, in: 1, cost: 4_500 }, commissioned_da_services: { out: 5, in: 0, cost: 12_000 } },
    outcomes: { feel_safe: { people: 9 }, know_options: { people: 12 } },
    sex: counts({ female: 11, not_known: 1 }),
    ethnicity: counts({ asian_pakistani: 8, white_roma: 4 }),
  },
  stocktonFinal: {
    narrative: NARRATIVE,
    people_supported: 7,
    sessions_delivered: 10,
    new_volunteers: 0,
    safeguarding_raised: 1,
    safeguarding_escalated: 0,
    spend_to_date: 400_000,
    referrals: { police: { out: 1, in: 2, cost: 1_000 }, housing: { out: 2, in: 0, cost: 0 } },
    outcomes: { feel_safe: { people: 7 } },
    sex: counts({ female: 6, male: 1 }),
    ethnicity: counts({ white_roma: 7 }),
  },
  secondStockton: {
    narrative: NARRATIVE,
    people_supported: 3,
    sessions_delivered: 4,
    safeguarding_raised: 0,
    safeguarding_escalated: 0,
    spend_to_date: 50_000,
    referrals: { marac: { out: 1, in: 0, cost: 300 } },
    outcomes: { feel_safe: { people: 3 } },
    sex: counts({ female: 3 }),
    ethnicity: counts({ other_arab: 3 }),
  },
  middlesbrough: {
    narrative: NARRATIVE,
    people_supported: 20,
    sessions_delivered: 15,
    new_volunteers: 5,
    safeguarding_raised: 4,
    safeguarding_escalated: 2,
    spend_to_date: 200_000,
    referrals: { commissioned_da_services: { out: 6, in: 4, cost: 9_000 }, police: { out: 2, in: 1, cost: 500 } },
    outcomes: { feel_safe: { people: 15 }, less_isolated: { people: 18 } },
    sex: counts({ female: 20 }),
    ethnicity: counts({ white_roma: 14, black_african: 6 }),
  },
};

type Figures = Record<string, any>;
const table = (f: Figures, id: string) =>
  Object.fromEntries(
    f.characteristics
      .find((t: { id: string }) => t.id === id)
      .rows.map((r: { value: string; count: unknown }) => [r.value, r.count]),
  );
const referral = (f: Figures, value: string) => f.referrals.rows.find((r: { value: string }) => r.value === value);
const outcome = (f: Figures, value: string) => f.outcomes.find((r: { value: string }) => r.value === value).people;
const FEWER = { suppressed: true, reason: 'fewer_than_5' };

/** Every number in a funder's figures that is not money: the counts they can read. */
function countsIn(value: unknown, key = ''): number[] {
  if (typeof value === 'number') return key.endsWith('Pence') ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => countsIn(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => countsIn(v, k));
  return [];
}

/**
 * The evidence dashboard's figures on real PostgreSQL: accepted monitoring reports summed per
 * fund, area and VDA, spend against awards from the ledger, overdue reports and grants open after
 * the programme's end by the application clock; and what a funder viewer may (aggregates, counts
 * under 5 suppressed) and may not (any application, organisation, file or text) see.
 */
describe('the fund’s evidence', () => {
  let s: TestStack;
  let fund: TestFund;
  let applicant: TestUser, admin: TestUser, funder: TestUser, partner: TestUser;
  let grants: { id: string; organisationId: string }[];
  let organisationNames: string[];
  let fileId: string, draftId: string;
  const url = () => `/api/v1/funds/${fund.id}/evidence`;
  const act = async (token: string, id: string, action: string, body: object = {}) => {
    const r = await s.request('POST', `/api/v1/applications/${id}/actions/${action}`, token, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const accept = async (applicationId: string, kind: 'interim' | 'final', answers: Record<string, unknown>) => {
    const updated = await s.ds.query(
      `UPDATE monitoring_reports SET state = 'accepted', answers = $3, narrative = $4, spend_to_date_pence = $5, submitted_at = now(), reviewed_at = now() + ($6 || ' seconds')::interval
       WHERE application_id = $1 AND kind = $2 RETURNING id`,
      [applicationId, kind, JSON.stringify(answers), NARRATIVE, answers.spend_to_date, kind === 'final' ? 10 : 0],
    );
    expect(updated[1]).toBe(1);
  };

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    fund = await createFund(s);
    admin = await s.user('admin');
    applicant = await s.user('applicant');
    funder = await s.user('funder_viewer', fund.definition.funder.slug);
    partner = await s.user(
      'partner_officer',
      fund.definition.partners.find((p: { areas: string[] }) => p.areas.includes(MIDDLESBROUGH)).slug,
    );

    // Four grants: two in Stockton, one in Middlesbrough, one in Hartlepool; all accepted, the first paid.
    const amounts = [400_000, 300_000, 500_000, 200_000];
    const areas = [STOCKTON, STOCKTON, MIDDLESBROUGH, HARTLEPOOL];
    grants = await awaitingDecision(
      s,
      fund.id,
      applicant,
      amounts.map((amountPence) => ({ amountPence })),
    );
    for (const [i, g] of grants.entries()) {
      await s.ds.query(`UPDATE applications SET area_code = $2 WHERE id = $1`, [g.id, areas[i]]);
      await s.ds.query(`UPDATE organisations SET area_code = $2 WHERE id = $1`, [g.organisationId, areas[i]]);
      await act(fund.panel.token, g.id, 'approve', { amountPence: amounts[i] });
      await act(applicant.token, g.id, 'accept-offer', SIGNED);
    }
    const payments = (await s.request('GET', `/api/v1/applications/${grants[0].id}/payments`, fund.officer.token)).body
      .items as { id: string }[];
    await act(fund.officer.token, grants[0].id, 'release-payment', {
      paymentId: payments[0].id,
      reference: 'BACS-EVIDENCE-1',
    });
    organisationNames = (
      await s.ds.query(`SELECT name FROM organisations WHERE id = ANY ($1)`, [grants.map((g) => g.organisationId)])
    ).map((r: { name: string }) => r.name);

    await accept(grants[0].id, 'interim', REPORTS.stocktonInterim);
    await accept(grants[0].id, 'final', REPORTS.stocktonFinal);
    await accept(grants[1].id, 'interim', REPORTS.secondStockton);
    await accept(grants[2].id, 'interim', REPORTS.middlesbrough);
    // Hartlepool's interim report was due at the start of the year: overdue.
    await s.ds.query(
      `UPDATE monitoring_reports SET due_on = '2026-01-15' WHERE application_id = $1 AND kind = 'interim'`,
      [grants[3].id],
    );

    // A draft with a document, to check that a funder viewer cannot reach files.
    const org = await s.request(
      'POST',
      '/api/v1/organisations',
      applicant.token,
      organisationProfile({
        name: `Evidence Draft Group ${s.suffix}`,
        registrationNumber: '',
        legalForm: 'other',
        postcode: 'TS5 6AB',
      }),
    );
    const draft = await s.request('POST', '/api/v1/applications', applicant.token, {
      fundId: fund.id,
      organisationId: org.body.id,
      answers: completeAnswers(),
    });
    draftId = draft.body.id;
    const form = new FormData();
    form.set('questionId', 'safeguarding_policy');
    form.set('file', new Blob([new Uint8Array(PDF)]), 'policy.pdf');
    const uploaded = await fetch(`${s.baseUrl}/api/v1/applications/${draftId}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${applicant.token}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    fileId = ((await uploaded.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('sums the accepted reports for the fund’s officer: reach, characteristics, referrals, outcomes, safeguarding, money', async () => {
    const r = await s.request('GET', url(), fund.officer.token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      view: 'full',
      area: null,
      programmeEnded: false,
      fund: {
        id: fund.id,
        totalPence: 3_000_000,
        feePence: 450_000,
        programmeEndsOn: fund.definition.programmeEndsOn ?? null,
      },
    });
    const f = r.body.figures;
    expect(f).toMatchObject({
      grants: 4,
      reportsAccepted: 4,
      reportsOverdue: 1,
      grantsOpenAfterEnd: 0,
      peopleSupported: 42,
      sessionsDelivered: 49,
      newVolunteers: 8,
      safeguarding: { raised: 7, escalated: 3 },
    });
    expect(table(f, 'sex')).toEqual({ female: 40, male: 1, not_known: 1 });
    expect(Object.entries(table(f, 'ethnicity')).filter(([, n]) => n !== 0)).toEqual([
      ['asian_pakistani', 8],
      ['black_african', 6],
      ['white_roma', 25],
      ['other_arab', 3],
    ]);
    expect(f.characteristics.find((t: { id: string }) => t.id === 'sex').label).toBe('Sex');
    // The referrals matrix: partner type by out and in, with the cost borne by the groups.
    expect(referral(f, 'commissioned_da_services')).toEqual({
      value: 'commissioned_da_services',
      label: 'Commissioned domestic abuse services',
      out: 11,
      in: 4,
      costPence: 21_000,
    });
    expect(referral(f, 'police')).toMatchObject({ out: 6, in: 4, costPence: 6_000 });
    expect(referral(f, 'housing')).toMatchObject({ out: 2, in: 0, costPence: 0 });
    expect(referral(f, 'marac')).toMatchObject({ out: 1, in: 0, costPence: 300 });
    expect(referral(f, 'health')).toMatchObject({ out: 0, in: 0, costPence: 0 });
    expect(f.referrals).toMatchObject({ totalOut: 20, totalIn: 8, totalCostPence: 27_300 });
    expect([
      outcome(f, 'feel_safe'),
      outcome(f, 'know_options'),
      outcome(f, 'less_isolated'),
      outcome(f, 'rebuild_lives'),
    ]).toEqual([34, 12, 18, 0]);
    // Spend against awards: awarded from the ledger, spend from each grant's latest report (cumulative, not summed).
    expect(r.body.money).toEqual({
      awardedPence: 1_400_000,
      disbursedPence: 400_000,
      returnedPence: 0,
      spendToDatePence: 650_000,
    });
    expect(
      r.body.byArea.map((a: Figures) => [
        a.name,
        a.grants,
        a.peopleSupported,
        a.reportsOverdue,
        a.awardedPence,
        a.spendToDatePence,
      ]),
    ).toEqual([
      ['Hartlepool', 1, 0, 1, 200_000, 0],
      ['Middlesbrough', 1, 20, 0, 500_000, 200_000],
      ['Redcar and Cleveland', 0, 0, 0, 0, 0],
      ['Stockton-on-Tees', 2, 22, 0, 700_000, 450_000],
    ]);
    expect(r.body.byPartner.map((p: Figures) => [p.name, p.areas, p.peopleSupported])).toEqual([
      [fund.definition.managingOrganisation.name, [STOCKTON], 22],
      ['Hartlepool Voluntary Development Agency', [HARTLEPOOL], 0],
      ['Middlesbrough Voluntary Development Agency', [MIDDLESBROUGH], 20],
      ['Redcar & Cleveland Voluntary Development Agency', ['E06000003'], 0],
    ]);
    // Never a grantee's name or anything they wrote, even for staff.
    const text = JSON.stringify(r.body);
    expect(text).not.toContain('Narrative-7f3a');
    expect(text).not.toContain('Acklam');
    for (const name of organisationNames) expect(text).not.toContain(name);
    expect((await s.request('GET', url(), admin.token)).body.figures.peopleSupported).toBe(42);
  });

  it('filters by area, and keeps a partner VDA’s officer to their own areas', async () => {
    const stockton = await s.request('GET', `${url()}?area=${STOCKTON}`, fund.officer.token);
    expect(stockton.status).toBe(200);
    expect(stockton.body.area).toEqual({ code: STOCKTON, name: 'Stockton-on-Tees' });
    expect(stockton.body.figures).toMatchObject({
      grants: 2,
      reportsAccepted: 3,
      reportsOverdue: 0,
      peopleSupported: 22,
      sessionsDelivered: 34,
      referrals: { totalOut: 12, totalIn: 3, totalCostPence: 17_800 },
    });
    expect(table(stockton.body.figures, 'sex')).toEqual({ female: 20, male: 1, not_known: 1 });
    expect(stockton.body.money).toEqual({
      awardedPence: 700_000,
      disbursedPence: 400_000,
      returnedPence: 0,
      spendToDatePence: 450_000,
    });
    expect(stockton.body.byArea.map((a: Figures) => a.code)).toEqual([STOCKTON]);
    expect(stockton.body.byPartner).toEqual([]);
    const hartlepool = await s.request('GET', `${url()}?area=${HARTLEPOOL}`, fund.officer.token);
    expect(hartlepool.body.figures).toMatchObject({
      grants: 1,
      reportsAccepted: 0,
      reportsOverdue: 1,
      peopleSupported: 0,
    });

    const theirs = await s.request('GET', url(), partner.token);
    expect(theirs.status).toBe(200);
    expect(theirs.body.view).toBe('full');
    expect(theirs.body.areas).toEqual([{ code: MIDDLESBROUGH, name: 'Middlesbrough' }]);
    expect(theirs.body.figures).toMatchObject({
      grants: 1,
      peopleSupported: 20,
      referrals: { totalOut: 8, totalIn: 5 },
    });
    expect(theirs.body.money.awardedPence).toBe(500_000);
    expect((await s.request('GET', `${url()}?area=${STOCKTON}`, partner.token)).status).toBe(403);
    expect((await s.request('GET', `${url()}?area=W99999999`, fund.officer.token)).status).toBe(400);
  });

  it('counts grants still open after the programme ends, and reports overdue, by the application’s clock', async () => {
    const ends = (await s.ds.query(`SELECT programme_ends_on::text AS d FROM funds WHERE id = $1`, [fund.id]))[0].d as
      string | null;
    if (!ends) await s.ds.query(`UPDATE funds SET programme_ends_on = '2027-11-30' WHERE id = $1`, [fund.id]);
    const endsOn = ends ?? '2027-11-30';
    const clock = s.api.get<Clock>(CLOCK);
    const real = clock.now;
    const after = new Date(`${endsOn}T12:00:00Z`);
    after.setUTCDate(after.getUTCDate() + 20);
    clock.now = () => after;
    try {
      const r = await s.request('GET', url(), fund.officer.token);
      expect(r.body.programmeEnded).toBe(true);
      expect(r.body.figures.grantsOpenAfterEnd).toBe(4);
      // Hartlepool's interim and the three final reports not accepted are now past due.
      const due = await s.ds.query(
        `SELECT count(*)::int AS n FROM monitoring_reports r JOIN applications a ON a.id = r.application_id WHERE a.fund_id = $1 AND r.state = 'due' AND r.due_on < $2::date`,
        [fund.id, after.toISOString().slice(0, 10)],
      );
      expect(due[0].n).toBe(4);
      expect(r.body.figures.reportsOverdue).toBe(4);
    } finally {
      clock.now = real;
    }
    await s.ds.query(`UPDATE applications SET state = 'closed' WHERE id = $1`, [grants[0].id]);
    clock.now = () => after;
    try {
      expect((await s.request('GET', url(), fund.officer.token)).body.figures.grantsOpenAfterEnd).toBe(3);
    } finally {
      clock.now = real;
      await s.ds.query(`UPDATE applications SET state = 'active' WHERE id = $1`, [grants[0].id]);
    }
  });

  it('shows the funder’s viewer aggregates with every count under 5 suppressed, never the number', async () => {
    const r = await s.request('GET', url(), funder.token);
    expect(r.status).toBe(200);
    expect(r.body.view).toBe('suppressed');
    expect(r.body.suppressionThreshold).toBe(5);
    const f = r.body.figures;
    expect(f.peopleSupported).toBe(42);
    expect(f.sessionsDelivered).toBe(49);
    expect(f.safeguarding).toEqual({ raised: 7, escalated: FEWER });
    expect(f.grants).toEqual(FEWER);
    expect(f.reportsAccepted).toEqual(FEWER);
    expect(f.reportsOverdue).toEqual(FEWER);
    // 40 women, 1 man, 1 not known: the 40 would reveal that two are not women, so it is withheld too.
    expect(table(f, 'sex')).toEqual({
      female: { suppressed: true, reason: 'withheld' },
      male: FEWER,
      not_known: FEWER,
    });
    expect(table(f, 'ethnicity').white_roma).toBe(25);
    expect(table(f, 'ethnicity').other_arab).toEqual(FEWER);
    expect(referral(f, 'marac')).toMatchObject({ out: FEWER, in: FEWER, costPence: 300 });
    expect(referral(f, 'commissioned_da_services').out).toBe(11);
    expect(outcome(f, 'feel_safe')).toBe(34);
    expect(outcome(f, 'rebuild_lives')).toEqual(FEWER);
    // No count anywhere in the answer is under 5: the small ones carry no number at all.
    const numbers = countsIn({ figures: f, byArea: r.body.byArea, byPartner: r.body.byPartner });
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers.filter((n) => n < 5)).toEqual([]);
    // Middlesbrough's 20 would reveal the two empty areas' zeros from the fund's 42 less Stockton's 22.
    expect(r.body.byArea.map((a: Figures) => [a.name, a.peopleSupported])).toEqual([
      ['Hartlepool', FEWER],
      ['Middlesbrough', { suppressed: true, reason: 'withheld' }],
      ['Redcar and Cleveland', FEWER],
      ['Stockton-on-Tees', 22],
    ]);
    // Money counts no one, so spend against awards is shown.
    expect(r.body.money).toEqual({
      awardedPence: 1_400_000,
      disbursedPence: 400_000,
      returnedPence: 0,
      spendToDatePence: 650_000,
    });

    // By area too, suppressed the same way.
    const area = await s.request('GET', `${url()}?area=${MIDDLESBROUGH}`, funder.token);
    expect(area.status).toBe(200);
    expect(area.body.figures.peopleSupported).toEqual({ suppressed: true, reason: 'withheld' });
    expect(area.body.figures.safeguarding).toEqual({ raised: FEWER, escalated: FEWER });
    expect(countsIn(area.body.figures).filter((n) => n < 5)).toEqual([]);
  });

  it('gives the funder’s viewer no organisation name, narrative, application, organisation or file', async () => {
    for (const path of [url(), `${url()}?area=${STOCKTON}`, `${url()}?area=${HARTLEPOOL}`]) {
      const r = await fetch(s.baseUrl + path, { headers: { authorization: `Bearer ${funder.token}` } });
      expect(r.status).toBe(200);
      const text = await r.text();
      expect(text).not.toContain('Narrative-7f3a');
      expect(text).not.toContain('Acklam');
      for (const name of [...organisationNames, `Evidence Draft Group ${s.suffix}`]) expect(text).not.toContain(name);
    }
    const get = (path: string) => s.request('GET', path, funder.token);
    for (const g of grants) {
      expect((await get(`/api/v1/applications/${g.id}`)).status).toBe(404);
      expect((await get(`/api/v1/applications/${g.id}/reports`)).status).toBe(404);
      expect((await get(`/api/v1/organisations/${g.organisationId}`)).status).toBe(404);
    }
    expect((await get(`/api/v1/applications/${draftId}/files`)).status).toBe(404);
    expect((await get(`/api/v1/files/${fileId}`)).status).toBe(404);
    expect((await s.request('GET', `/api/v1/files/${fileId}`, applicant.token)).status).toBe(200); // the file is there
    const list = await get(`/api/v1/applications?fundId=${fund.id}`);
    expect(list.status === 403 || (list.status === 200 && list.body.items.length === 0)).toBe(true);
    expect((await get(`/api/v1/funds/${fund.id}/money`)).status).toBe(403);
  });

  it('refuses everyone else: applicants, panel members, other VDAs and other funders (403), an unknown fund (404), no token (401)', async () => {
    expect((await s.request('GET', url(), applicant.token)).status).toBe(403);
    expect((await s.request('GET', url(), fund.panel.token)).status).toBe(403);
    await s.ds.query(
      `INSERT INTO partner_organisations (slug, name, kind) VALUES ($1, 'Another funder', 'funder'), ($2, 'Another VDA', 'vda')`,
      [`evidence-funder-${s.suffix}`, `evidence-vda-${s.suffix}`],
    );
    expect(
      (await s.request('GET', url(), (await s.user('funder_viewer', `evidence-funder-${s.suffix}`)).token)).status,
    ).toBe(403);
    expect((await s.request('GET', url(), (await s.user('officer', `evidence-vda-${s.suffix}`)).token)).status).toBe(
      403,
    );
    // A funder viewer attached to the managing VDA is not the fund's funder either.
    expect(
      (await s.request('GET', url(), (await s.user('funder_viewer', fund.definition.managingOrganisation.slug)).token))
        .status,
    ).toBe(403);
    expect(
      (await s.request('GET', '/api/v1/funds/00000000-0000-4000-8000-000000000000/evidence', fund.officer.token))
        .status,
    ).toBe(404);
    expect((await s.request('GET', url(), null)).status).toBe(401);
    const openapi = (await s.request('GET', '/api/docs/openapi.json', null)).body;
    expect(openapi.paths['/api/v1/funds/{id}/evidence'].get.responses).toHaveProperty('200');
  });
});
