import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFund, declareIfJudging, SIGNED, TestFund } from '../support/funds';
import { TestStack, TestUser } from '../support/stack';
import { codeList, THREESIXTYGIVING_DIR, threeSixtyGivingValidator } from '../support/three-sixty-giving-schema';

/** Parses CSV as csv-stringify writes it (quoted fields with doubled quotes), into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The CSV as objects by header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/**
 * Officers' CSV exports and the 360Giving file: what they hold, that nothing sensitive ever
 * appears in them (distinctive strings are planted in every free-text, address and contact field
 * and looked for in every body), who may read them, and that the 360Giving file is valid against
 * the standard's own schemas and the DEI extension (test/fixtures/360giving/, copied from ../shared/data/360giving/).
 */
describe('exports', () => {
  let s: TestStack;
  let fund: TestFund;
  let applicant: TestUser;
  const mark = randomBytes(3).toString('hex').toUpperCase();
  /** Planted where only free text, addresses and contact details live: none may ever be exported. */
  const SECRETS = {
    address: `REFUGE-ADDRESS-${mark} Hidden Lane`,
    address2: `SAFE-HOUSE-${mark}`,
    town: `SECRET-TOWN-${mark}`,
    postcode: 'TS18 9ZZ',
    statement: `BYANDFOR-STATEMENT-${mark}`,
    communitiesOther: `COMMUNITIES-OTHER-${mark}`,
    safeguardingLead: `SAFEGUARDING-LEAD-${mark}`,
    title: `APP-TITLE-${mark}`,
    summary: `APP-SUMMARY-${mark}`,
    answer: `ANSWER-TEXT-${mark}`,
    narrative: `NARRATIVE-${mark}`,
    comment: `OFFICER-COMMENT-${mark}`,
    condition: `CONDITION-TEXT-${mark}`,
    evidence: `CONDITION-EVIDENCE-${mark}`,
    note: `INTERNAL-NOTE-${mark}`,
  };
  const charityNumber = String(1_100_000 + Math.floor(Math.random() * 899_999));
  let charityApp: { id: string; reference: string };
  let groupApp: { id: string; reference: string };
  let waitingApp: { id: string; reference: string };
  let paymentId: string;

  async function organisation(o: {
    name: string;
    legalForm: string;
    registrationNumber: string | null;
    area: string;
    ledByAndFor: boolean;
    communities: string[];
  }): Promise<string> {
    const [row] = await s.ds.query(
      `INSERT INTO organisations (name, legal_form, registration_number, area_code, postcode, address_line_1, address_line_2, town, communities_served,
                                  communities_other, languages, led_by_and_for, led_by_and_for_statement, safeguarding_lead_name, safeguarding_lead_role, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{Urdu}', $11, $12, $13, 'Chair', $14) RETURNING id`,
      [
        o.name,
        o.legalForm,
        o.registrationNumber,
        o.area,
        SECRETS.postcode,
        SECRETS.address,
        SECRETS.address2,
        SECRETS.town,
        o.communities,
        SECRETS.communitiesOther,
        o.ledByAndFor,
        SECRETS.statement,
        SECRETS.safeguardingLead,
        applicant.userId,
      ],
    );
    await s.ds.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [
      row.id,
      applicant.userId,
    ]);
    return row.id;
  }

  async function application(
    organisationId: string,
    area: string,
    requestedPence: number,
    state = 'awaiting_decision',
  ): Promise<{ id: string; reference: string }> {
    const reference = `SG-${randomBytes(4).toString('hex').toUpperCase()}`;
    const [row] = await s.ds.query(
      `INSERT INTO applications (reference, fund_id, organisation_id, state, title, summary, requested_pence, area_code, activity_risk_tier, answers, submitted_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'medium', $9, now() - interval '3 days', $10) RETURNING id`,
      [
        reference,
        fund.id,
        organisationId,
        state,
        SECRETS.title,
        SECRETS.summary,
        requestedPence,
        area,
        JSON.stringify({
          project_name: SECRETS.title,
          project_summary: SECRETS.summary,
          activity_description: SECRETS.answer,
          risk_approach: SECRETS.answer,
        }),
        applicant.userId,
      ],
    );
    return { id: row.id, reference };
  }

  const act = async (appId: string, user: TestUser, action: string, body: unknown = {}) => {
    await declareIfJudging(s, user, appId, action);
    const r = await s.request('POST', `/api/v1/applications/${appId}/actions/${action}`, user.token, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const get = (name: string, user: TestUser) =>
    s.request('GET', `/api/v1/funds/${fund.id}/exports/${name}`, user.token);

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    fund = await createFund(s);
    applicant = await s.user('applicant');

    const charity = await organisation({
      name: `Tees Valley Sisters ${mark}`,
      legalForm: 'cio',
      registrationNumber: charityNumber,
      area: 'E06000004',
      ledByAndFor: true,
      communities: ['asian_pakistani', 'asian_indian'],
    });
    const group = await organisation({
      name: `=Hartlepool Friends ${mark}`,
      legalForm: 'unincorporated_community_group',
      registrationNumber: null,
      area: 'E06000001',
      ledByAndFor: false,
      communities: ['black_african'],
    });
    charityApp = await application(charity, 'E06000004', 450_000);
    groupApp = await application(group, 'E06000001', 200_000);
    waitingApp = await application(group, 'E06000001', 120_000);

    // The charity's grant: approved, accepted, paid; a condition and an internal note on record.
    await act(charityApp.id, fund.panel, 'approve', { amountPence: 400_000 });
    await act(charityApp.id, applicant, 'accept-offer', SIGNED);
    [{ id: paymentId }] = await s.ds.query(`SELECT id FROM payments WHERE application_id = $1`, [charityApp.id]);
    await act(charityApp.id, fund.officer, 'release-payment', { paymentId, reference: `BACS-${mark}` });
    await s.ds.query(
      `INSERT INTO conditions (application_id, position, text, evidence_required, blocks) VALUES ($1, 1, $2, $3, 'nothing')`,
      [charityApp.id, SECRETS.condition, SECRETS.evidence],
    );
    await s.ds.query(`INSERT INTO internal_notes (application_id, author_user_id, body) VALUES ($1, $2, $3)`, [
      charityApp.id,
      fund.officer.userId,
      SECRETS.note,
    ]);
    // Its interim report, accepted, with figures, a narrative and an officer's comment.
    const answers = {
      narrative: SECRETS.narrative,
      people_supported: 12,
      sessions_delivered: 10,
      spend_to_date: 123_456,
      spend_lines: { lines: [{ item: SECRETS.answer, amountPence: 123_456 }] },
      referrals: { police: { out: 2, in: 1, cost: 2_550 }, marac: { out: 1, in: 0, cost: 0 } },
      outcomes: { feel_safe: { people: 9 } },
      ethnicity: { asian_pakistani: { count: 7 }, asian_indian: { count: 5 } },
      safeguarding_raised: 2,
    };
    await s.ds.query(
      `UPDATE monitoring_reports SET state = 'accepted', narrative = $2, comments = $3, spend_to_date_pence = 123456, answers = $4,
              form_key = 'cleveland-pilot-report', form_version = 1, submitted_at = now(), reviewed_at = now()
       WHERE application_id = $1 AND kind = 'interim'`,
      [charityApp.id, SECRETS.narrative, SECRETS.comment, JSON.stringify(answers)],
    );

    // The group's offer is made and not yet accepted.
    await act(groupApp.id, fund.panel, 'approve', { amountPence: 150_000 });
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('exports applications past draft with organisation, amounts in pounds, dates and risk tier', async () => {
    const r = await get('applications.csv', fund.officer);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="applications.csv"');
    expect(parseCsv(r.body)[0]).toEqual([
      'reference',
      'organisation',
      'registration_number',
      'legal_form',
      'area_code',
      'state',
      'requested_gbp',
      'awarded_gbp',
      'submitted_on',
      'decided_on',
      'risk_tier',
    ]);
    const rows = records(r.body);
    expect(rows.map((x) => x.reference).sort()).toEqual(
      [charityApp.reference, groupApp.reference, waitingApp.reference].sort(),
    );
    const charity = rows.find((x) => x.reference === charityApp.reference)!;
    expect(charity).toMatchObject({
      organisation: `Tees Valley Sisters ${mark}`,
      registration_number: charityNumber,
      legal_form: 'cio',
      area_code: 'E06000004',
      state: 'active',
      requested_gbp: '4500.00',
      awarded_gbp: '4000.00',
      risk_tier: 'medium',
    });
    expect(charity.submitted_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(charity.decided_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // A name typed as a formula is defused for spreadsheets.
    expect(rows.find((x) => x.reference === waitingApp.reference)).toMatchObject({
      organisation: `'=Hartlepool Friends ${mark}`,
      state: 'awaiting_decision',
      awarded_gbp: '',
      decided_on: '',
    });
  });

  it('exports awards with money awarded, disbursed and returned, the offer’s dates and how many conditions', async () => {
    const r = await get('awards.csv', fund.officer);
    expect(r.status).toBe(200);
    const rows = records(r.body);
    expect(rows.map((x) => x.reference).sort()).toEqual([charityApp.reference, groupApp.reference].sort());
    expect(rows.find((x) => x.reference === charityApp.reference)).toMatchObject({
      state: 'active',
      awarded_gbp: '4000.00',
      disbursed_gbp: '4000.00',
      returned_gbp: '0.00',
      conditions: '1',
      conditions_open: '1',
    });
    expect(rows.find((x) => x.reference === charityApp.reference)!.accepted_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(rows.find((x) => x.reference === groupApp.reference)).toMatchObject({
      state: 'offered',
      awarded_gbp: '1500.00',
      disbursed_gbp: '0.00',
      accepted_on: '',
      conditions: '0',
    });
  });

  it('exports payments with tranche, amount, state, trigger, dates and the bank reference', async () => {
    const rows = records((await get('payments.csv', fund.officer)).body);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      payment_id: paymentId,
      application_reference: charityApp.reference,
      tranche: '1',
      amount_gbp: '4000.00',
      state: 'paid',
      trigger: 'on_acceptance',
      payment_reference: `BACS-${mark}`,
    });
    expect(rows[0].due_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(rows[0].paid_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('exports reports with their numeric answers flattened: numbers, money in pounds, each counts cell', async () => {
    const r = await get('reports.csv', fund.officer);
    expect(r.status).toBe(200);
    const header = parseCsv(r.body)[0];
    expect(header.slice(0, 8)).toEqual([
      'application_reference',
      'organisation',
      'kind',
      'due_on',
      'state',
      'submitted_on',
      'reviewed_on',
      'times_returned',
    ]);
    expect(header).toEqual(
      expect.arrayContaining([
        'people_supported',
        'sessions_delivered',
        'spend_to_date',
        'referrals.police.out',
        'referrals.police.cost',
        'ethnicity.asian_pakistani.count',
        'outcomes.feel_safe.people',
      ]),
    );
    expect(header.filter((h) => /narrative|comment|spend_lines/.test(h))).toEqual([]);
    const rows = records(r.body);
    expect(rows.map((x) => `${x.application_reference} ${x.kind} ${x.state}`)).toEqual([
      `${charityApp.reference} interim accepted`,
      `${charityApp.reference} final due`,
    ]);
    expect(rows[0]).toMatchObject({
      people_supported: '12',
      sessions_delivered: '10',
      spend_to_date: '1234.56',
      'referrals.police.out': '2',
      'referrals.police.cost': '25.50',
      'referrals.marac.cost': '0.00',
      'ethnicity.asian_pakistani.count': '7',
      'ethnicity.asian_indian.count': '5',
      'ethnicity.not_known.count': '',
      safeguarding_raised: '2',
    });
    expect(rows[1]).toMatchObject({ people_supported: '', spend_to_date: '', submitted_on: '' });
  });

  it('publishes the awards as 360Giving data valid against the standard and the DEI extension', async () => {
    const r = await get('360giving.json', fund.officer);
    expect(r.status).toBe(200);
    const pkg = r.body;
    expect(threeSixtyGivingValidator()(pkg)).toEqual([]);
    const prefix = '360G-smallgrants';
    const d = fund.definition;
    expect(pkg).toMatchObject({
      version: '1.4',
      publisher: { identifier: `${prefix}-partner-${d.managingOrganisation.slug}`, name: d.managingOrganisation.name },
    });

    // The funder's grant to the managing VDA, for onward grants: the regrant.
    const [regrant, ...grants] = pkg.grants;
    expect(codeList('regrantType.csv').has(regrant.regrantType)).toBe(true);
    expect(regrant).toMatchObject({
      id: `${prefix}-fund-${d.slug}`,
      regrantType: 'FRG010',
      amountAwarded: 30000,
      currency: 'GBP',
      fundingOrganization: [{ id: `${prefix}-partner-${d.funder.slug}`, name: d.funder.name }],
      recipientOrganization: [
        { id: `${prefix}-partner-${d.managingOrganisation.slug}`, name: d.managingOrganisation.name },
      ],
    });

    // The awards: the accepted one and the open offer, not the application still waiting.
    expect(grants.map((g: { id: string }) => g.id).sort()).toEqual(
      [`${prefix}-${charityApp.reference}`, `${prefix}-${groupApp.reference}`].sort(),
    );
    const charity = grants.find((g: { id: string }) => g.id === `${prefix}-${charityApp.reference}`);
    expect(charity).toMatchObject({
      title: `${d.name}: grant to Tees Valley Sisters ${mark}`,
      amountAppliedFor: 4500,
      amountAwarded: 4000,
      amountDisbursed: 4000,
      recipientOrganization: [{ id: `GB-CHC-${charityNumber}`, name: `Tees Valley Sisters ${mark}`, charityNumber }],
      fundingOrganization: [
        { id: `${prefix}-partner-${d.managingOrganisation.slug}`, name: d.managingOrganisation.name },
      ],
      grantProgramme: [{ code: d.slug, title: d.name }],
      beneficiaryLocation: [{ name: 'Stockton-on-Tees', geoCode: 'E06000004', geoCodeType: 'UA', countryCode: 'GB' }],
      deiDetails: {
        leadership: {
          askedStatus: 'AS200',
          replyStatus: 'RS200',
          response: { taxonomyCodes: ['DEI010310', 'DEI010320'] },
        },
        mission: {
          askedStatus: 'AS200',
          replyStatus: 'RS200',
          response: { taxonomyCodes: ['DEI010310', 'DEI010320'] },
        },
        project: { askedStatus: 'AS100' },
      },
    });
    expect(charity.awardDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(charity.plannedDates).toEqual([
      {
        startDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        endDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        duration: 12,
      },
    ]);
    expect(charity.dataSource).toBe(`http://grants.test/api/v1/funds/${fund.id}/exports/360giving.json`);
    expect(new Date(charity.dateModified).toISOString()).toBe(charity.dateModified);

    const group = grants.find((g: { id: string }) => g.id === `${prefix}-${groupApp.reference}`);
    expect(group.recipientOrganization[0].id).toMatch(new RegExp(`^${prefix}-org-[0-9a-f-]{36}$`));
    expect(group.deiDetails).toBeUndefined();
    expect(group.plannedDates).toBeUndefined();

    // Locations are the fund's area codes, and nothing else.
    const areaCodes = new Set(d.areas.map((a: { code: string }) => a.code));
    const geoTypes = codeList('geoCodeType.csv');
    for (const g of pkg.grants) {
      for (const l of g.beneficiaryLocation) {
        expect(Object.keys(l).sort()).toEqual(['countryCode', 'geoCode', 'geoCodeType', 'name']);
        expect(areaCodes.has(l.geoCode)).toBe(true);
        expect(geoTypes.has(l.geoCodeType)).toBe(true);
      }
      for (const o of [...g.recipientOrganization, ...g.fundingOrganization]) {
        expect(Object.keys(o).every((k) => ['id', 'name', 'charityNumber', 'companyNumber'].includes(k))).toBe(true);
      }
    }
    // The copies the test validates against are the standard's files, unchanged.
    const shared = join(__dirname, '../../../shared/data/360giving');
    if (existsSync(shared)) {
      for (const f of [
        '360-giving-package-schema.json',
        '360-giving-schema.json',
        'dei/360-giving-schema.json',
        'regrantType.csv',
        'dei/taxonomyCodes.csv',
      ]) {
        expect(readFileSync(join(THREESIXTYGIVING_DIR, f), 'utf8')).toBe(readFileSync(join(shared, f), 'utf8'));
      }
    }
    expect(
      JSON.parse(readFileSync(join(THREESIXTYGIVING_DIR, '360-giving-package-schema.json'), 'utf8')).$id,
    ).toContain('/1.4.');
  });

  it('never exports free text, addresses, postcodes or contact details', async () => {
    const bodies = await Promise.all(
      ['applications.csv', 'awards.csv', 'payments.csv', 'reports.csv', '360giving.json'].map((n) =>
        get(n, fund.officer),
      ),
    );
    const officerEmail = fund.officer.email;
    for (const r of bodies) {
      expect(r.status).toBe(200);
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
      expect(text).not.toContain('TS189ZZ');
      expect(text).not.toContain(applicant.email);
      expect(text).not.toContain(officerEmail);
      expect(text).not.toContain('@test.example');
    }
  });

  it('is for the fund’s officers and administrators only', async () => {
    const [other] = await s.ds.query(
      `INSERT INTO partner_organisations (slug, name, kind) VALUES ($1, 'Another VDA', 'vda') RETURNING slug`,
      [`another-vda-${mark.toLowerCase()}`],
    );
    const otherOfficer = await s.user('officer', other.slug);
    const partnerOfficer = await s.user('partner_officer', fund.definition.partners[0].slug);
    const admin = await s.user('admin');
    for (const name of ['applications.csv', 'awards.csv', 'payments.csv', 'reports.csv', '360giving.json']) {
      expect({ name, status: (await get(name, applicant)).status }).toEqual({ name, status: 403 });
      expect({ name, status: (await get(name, otherOfficer)).status }).toEqual({ name, status: 403 });
      expect({ name, status: (await get(name, partnerOfficer)).status }).toEqual({ name, status: 403 });
      expect({ name, status: (await get(name, fund.panel)).status }).toEqual({ name, status: 403 });
      expect({ name, status: (await get(name, admin)).status }).toEqual({ name, status: 200 });
    }
    // Each download that left the system is in the security log, with who and which file; refusals are not.
    const logged: { export: string }[] = await s.ds.query(
      `SELECT detail->>'export' AS export FROM security_events
        WHERE kind = 'export_downloaded' AND actor_user_id = $1 AND detail->>'fundId' = $2 ORDER BY id`,
      [admin.userId, fund.id],
    );
    expect(logged.map((r) => r.export)).toEqual([
      'applications.csv',
      'awards.csv',
      'payments.csv',
      'reports.csv',
      '360giving.json',
    ]);
    const refusedLogged = await s.ds.query(
      `SELECT 1 FROM security_events WHERE kind = 'export_downloaded' AND actor_user_id = ANY($1)`,
      [[applicant.userId, otherOfficer.userId, partnerOfficer.userId]],
    );
    expect(refusedLogged).toEqual([]);
    const body = (await get('reports.csv', applicant)).body;
    expect(body).toMatchObject({ code: 'role_not_permitted' });
    expect(
      (
        await s.request(
          'GET',
          `/api/v1/funds/00000000-0000-4000-8000-000000000000/exports/awards.csv`,
          fund.officer.token,
        )
      ).status,
    ).toBe(404);
    expect((await s.request('GET', `/api/v1/funds/${fund.id}/exports/awards.csv`, null)).status).toBe(401);
  });
});
