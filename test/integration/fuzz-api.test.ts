import fc from 'fast-check';
import { BULK_ACTIONS } from '../../libs/applications/src/bulk/bulk-transitions.use-case';
import {
  CONDITION_BLOCKS,
  DISABLE_REASONS,
  ETHNIC_GROUPS,
  LEGAL_FORMS,
  LIFECYCLE_ACTIONS,
  OUTCOMES,
  RISK_TIERS,
} from '../../libs/domain/src';
import { changedTables, fingerprint, Fingerprint, World } from '../support/fingerprint';
import { TestFund } from '../support/funds';
import {
  answersFor,
  extraKey,
  fieldText,
  junkValue,
  MALFORMED_JSON,
  oddNumber,
  oddString,
  shaped,
  unstorableString,
} from '../support/fuzz';
import { applicationForm, FuzzWorld, fuzzWorld, reportForm } from '../support/fuzz-world';
import { organisationProfile, rubricScores } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

/**
 * Property-based bodies for every JSON operation of the API description: schema-shaped bodies with
 * mutations, arbitrary JSON, and malformed bodies, each sent by a caller allowed to reach the
 * operation's validation. Nothing may answer 5xx; every 4xx is problem+json with a detail and
 * changes nothing (see support/fingerprint.ts for what "nothing" covers).
 */
jest.setTimeout(180_000);

const SEED = 20_270_201;
const RUNS = { shaped: 140, json: 20, anything: 15, malformed: 25, query: 80 };

const STAFF = ['officer', 'partner_officer', 'panel_member', 'funder_viewer', 'admin'];

interface Target {
  token: string | null;
  /** Path parameters: one of these values each. */
  params?: Record<string, readonly string[]>;
}

interface Sent {
  kind: string;
  op: string;
  method: string;
  url: string;
  token: string | null;
  headers: Record<string, string>;
  body?: string | Buffer;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
}

describe('fuzzing the JSON API', () => {
  let s: TestStack;
  let w: FuzzWorld;
  let fund: TestFund;
  let admin: TestUser, applicant: TestUser, stranger: TestUser, partner: TestUser, funder: TestUser;
  let apps: Record<string, string>;
  let ids: { orgs: string[]; reports: string[]; payments: string[]; conditions: string[] };
  let world: World;
  let doc: { paths: Record<string, Record<string, OpenApiOperation>> };
  /** A staff account the fuzz may re-role and disable (no other request depends on it). */
  let staffTarget: TestUser;

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    w = await fuzzWorld(s);
    ({ fund, admin, applicant, stranger, partner, funder, apps, world } = w);
    ids = { orgs: w.orgs, reports: w.reports, payments: w.payments, conditions: w.conditions };
    const states = await s.ds.query('SELECT DISTINCT state FROM applications WHERE id = ANY($1)', [
      Object.values(apps),
    ]);
    expect(new Set(states.map((r: { state: string }) => r.state))).toEqual(
      new Set([
        'draft',
        'submitted',
        'screening',
        'information_requested',
        'risk_assessment',
        'awaiting_decision',
        'offered',
        'conditions_pending',
        'active',
      ]),
    );
    expect(ids.reports.length).toBeGreaterThan(0);
    expect(ids.conditions.length).toBe(4);
    doc = (await s.request('GET', '/api/docs/openapi.json', null)).body;
    staffTarget = await s.user('panel_member', fund.definition.managingOrganisation.slug);
  });

  afterAll(async () => {
    await s?.stop();
  });

  // ---- schema-shaped bodies, one generator per request schema -------------------------------

  const text = (max = 60) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: max }) },
      { weight: 2, arbitrary: oddString },
      { weight: 1, arbitrary: unstorableString },
    );
  const pence = fc.oneof(fc.integer({ min: 1, max: 600_000 }), oddNumber);
  const uuidish = () => fc.oneof(fc.constantFrom(...Object.values(apps)), fc.uuid(), oddString);
  const fundDefinition = () =>
    fc
      .record({
        n: fc.nat(1_000_000),
        name: text(200),
        totalPence: fc.oneof(fc.integer({ min: 1, max: 100_000_000_000 }), oddNumber),
        feeRateBasisPoints: fc.oneof(fc.integer({ min: 0, max: 10_000 }), oddNumber),
        feeBasis: fc.constantFrom('fund_total', 'awarded', 'disbursed', 'nonsense'),
        feeTreatment: fc.constantFrom('top_slice', 'on_top', ''),
        maxPerOrganisationPence: fc.oneof(fc.integer({ min: 1, max: 5_000_000 }), oddNumber),
        alertThresholdsBasisPoints: fc.array(fc.oneof(fc.integer({ min: 1, max: 10_000 }), oddNumber), {
          maxLength: 12,
        }),
        opensOn: fc.option(
          fc.constantFrom('2026-12-01', '2027-02-30', '2026-13-01', 'tomorrow', '2026-12-01T00:00:00Z'),
        ),
        closesOn: fc.option(fc.constantFrom('2027-02-26', '2026-01-01', '2027-02-26T12:00:00+01:00')),
        offerValidFor: fc.constantFrom('P30D', 'P1Y2M3W4D', 'P', 'PT1H', '30 days', 'P99999999999999D'),
        paymentSchedule: fc.array(
          fc.record({
            percent: fc.oneof(fc.integer({ min: 0, max: 101 }), oddNumber),
            trigger: fc.constantFrom('on_acceptance', 'on_interim_report_accepted', 'never'),
          }),
          { maxLength: 4 },
        ),
        reportSchedule: fc.array(
          fc.record({
            kind: fc.constantFrom('interim', 'final', 'monthly'),
            dueAfter: fc.constantFrom('P6M', 'P12M', 'P0D', 'six months'),
          }),
          { maxLength: 4 },
        ),
        feeShares: fc.option(
          fc.array(
            fc.record({
              partner: fc.constantFrom(...fund.definition.partners.map((p: { slug: string }) => p.slug), 'nobody'),
              basisPoints: fc.oneof(fc.integer({ min: 1, max: 10_000 }), oddNumber),
            }),
            { maxLength: 4 },
          ),
          { nil: undefined },
        ),
        reminders: fc.option(
          fc.dictionary(
            fc.constantFrom(
              'offerExpiringBefore',
              'reportDueSoonBefore',
              'reportOverdueAfter',
              'conditionDueBefore',
              'toString',
              'constructor',
              'nonsense',
            ),
            fc.oneof(fc.constantFrom('P5D', 'P0D', 'P99999D', 'PT1H'), junkValue),
          ),
          { nil: undefined },
        ),
        eligibleLegalForms: fc.option(fc.subarray([...LEGAL_FORMS, 'sole_trader']), { nil: undefined }),
      })
      .map(({ n, ...r }) => {
        const d = s.pilotDefinition();
        return {
          ...d,
          ...r,
          slug: `fuzz-${s.suffix}-${n}`,
          opensOn: r.opensOn ?? undefined,
          closesOn: r.closesOn ?? undefined,
        };
      });
  const organisation = () =>
    fc
      .record(
        {
          name: text(200),
          legalForm: fc.constantFrom(...LEGAL_FORMS, 'sole_trader'),
          registrationNumber: fc.oneof(fc.constantFrom('', '1190001', 'SC012345', '01234567', 'NI0000000'), oddString),
          addressLine1: text(200),
          addressLine2: text(200),
          town: text(100),
          postcode: fc.oneof(fc.constantFrom('TS18 1AA', 'ts181aa', 'SW1A 1AA', 'TS24 7AA', 'nope'), oddString),
          areaCode: fc.oneof(
            fc.constantFrom('E06000001', 'E06000002', 'E06000003', 'E06000004', 'E09000001'),
            oddString,
          ),
          communitiesServed: fc.oneof(
            fc.subarray(ETHNIC_GROUPS.map((g) => g.value)),
            fc.array(oddString, { maxLength: 25 }),
          ),
          communitiesOther: text(300),
          languages: fc.array(text(60), { maxLength: 35 }),
          ledByAndFor: fc.boolean(),
          ledByAndForStatement: text(2000),
          safeguardingLeadName: text(200),
          safeguardingLeadRole: text(200),
        },
        {
          requiredKeys: [
            'name',
            'legalForm',
            'addressLine1',
            'town',
            'postcode',
            'areaCode',
            'communitiesServed',
            'languages',
            'ledByAndFor',
          ],
        },
      )
      .map((r) => ({ ...r, name: `${r.name} ${s.suffix}` }));
  const email = () =>
    fc.oneof(
      fc.emailAddress().map((e) => e.replace('@', `+x@fuzz-${s.suffix}.`)),
      fc.constantFrom(`a@fuzz-${s.suffix}.example`, 'not-an-email', '@', 'a@b'),
      oddString,
    );
  const commandFields = () => ({
    reason: text(5000),
    message: text(5000),
    amountPence: pence,
    conditions: fc.array(text(1000), { maxLength: 22 }),
    conditionDetails: fc.array(
      fc.record(
        {
          text: text(1000),
          evidenceRequired: text(1000),
          blocks: fc.constantFrom(...CONDITION_BLOCKS, 'everything'),
          dueOn: fc.constantFrom('2027-03-01', '2027-02-30', '01/03/2027'),
          source: text(100),
        },
        { requiredKeys: ['text'] },
      ),
      { maxLength: 22 },
    ),
    clawbackPence: fc.oneof(fc.integer({ min: 0, max: 500_000 }), oddNumber),
    paymentId: fc.oneof(fc.constantFrom(...(ids.payments.length ? ids.payments : ['x'])), fc.uuid(), oddString),
    reference: text(100),
    reportId: fc.oneof(fc.constantFrom(...(ids.reports.length ? ids.reports : ['x'])), fc.uuid(), oddString),
    narrative: text(5000),
    spendToDatePence: pence,
    signatoryName: text(200),
    signatoryRole: text(200),
    acceptsTerms: fc.oneof(fc.boolean(), fc.constantFrom('true', 1)),
    comments: text(5000),
  });

  /** Request schema (from the description) → a schema-shaped body. */
  const BODIES: Record<string, () => fc.Arbitrary<unknown>> = {
    FundDefinitionDto: fundDefinition,
    OrganisationProfileDto: organisation,
    InviteMemberDto: () => fc.record({ email: email() }),
    CreateApplicationDto: () =>
      fc.record(
        {
          fundId: fc.oneof(fc.constant(fund.id), fc.uuid(), oddString),
          organisationId: fc.oneof(fc.constantFrom(...ids.orgs), fc.uuid(), oddString),
          title: text(200),
          summary: text(5000),
          requestedPence: pence,
          activityRiskTier: fc.constantFrom(...RISK_TIERS, 'extreme'),
          answers: answersFor(applicationForm),
        },
        { requiredKeys: ['fundId', 'organisationId'] },
      ),
    UpdateApplicationDto: () =>
      fc.record(
        {
          title: text(200),
          summary: text(5000),
          requestedPence: pence,
          activityRiskTier: fc.constantFrom(...RISK_TIERS, 'extreme'),
          answers: answersFor(applicationForm),
        },
        { requiredKeys: [] },
      ),
    BulkActionDto: () =>
      fc.record(
        { applicationIds: fc.array(uuidish(), { maxLength: 110 }), reason: text(5000), message: text(5000) },
        { requiredKeys: ['applicationIds'] },
      ),
    ReportAnswersDto: () => fc.record({ answers: answersFor(reportForm) }),
    ActionCommandDto: () => fc.record(commandFields(), { requiredKeys: [] }),
    AssessmentDto: () =>
      fc.record(
        {
          riskTier: fc.constantFrom(...RISK_TIERS, 'none'),
          scores: fc.oneof(
            fc.record(
              Object.fromEntries(
                Object.keys(rubricScores()).map((k) => [k, fc.oneof(fc.integer({ min: -1, max: 4 }), oddNumber)]),
              ),
              { requiredKeys: [] },
            ),
            fc.dictionary(extraKey, junkValue, { maxKeys: 3 }),
          ),
          notes: fc.dictionary(
            fc.oneof(fc.constantFrom(...Object.keys(rubricScores())), extraKey),
            fc.oneof(text(3000), junkValue),
            { maxKeys: 9 },
          ),
          overrideOutcome: fc.constantFrom(...OUTCOMES, 'brilliant'),
          overrideReason: text(2000),
          recommendedPence: pence,
        },
        { requiredKeys: ['scores'] },
      ),
    ResolveConditionDto: () => fc.record({ note: text(2000) }),
    ConflictDeclarationDto: () =>
      fc.record(
        { conflicted: fc.oneof(fc.boolean(), fc.constantFrom('yes', 0)), note: text(1000) },
        { requiredKeys: ['conflicted'] },
      ),
    NoteDto: () => fc.record({ body: text(5000) }),
    CreateStaffUserDto: () =>
      fc.record(
        {
          email: email(),
          displayName: text(100),
          role: fc.constantFrom(...STAFF, 'applicant', 'system', 'superuser'),
          partnerOrganisationSlug: fc.oneof(
            fc.constantFrom(
              fund.definition.managingOrganisation.slug,
              fund.definition.funder.slug,
              'no-such-vda',
              'Not A Slug',
            ),
            oddString,
          ),
        },
        { requiredKeys: ['email', 'displayName', 'role'] },
      ),
    UpdateStaffUserDto: () =>
      fc.record(
        {
          role: fc.constantFrom(...STAFF, 'applicant', 'system', 'superuser'),
          partnerOrganisationSlug: fc.oneof(
            fc.constantFrom(fund.definition.managingOrganisation.slug, 'no-such-vda', 'Not A Slug', null),
            oddString,
          ),
        },
        { requiredKeys: ['role'] },
      ),
    DisableStaffUserDto: () =>
      fc.record({ reason: fc.oneof(fc.constantFrom(...DISABLE_REASONS, 'because'), junkValue) }),
    TransferOwnershipDto: () => fc.record({ userId: fc.oneof(fc.constant(applicant.userId), fc.uuid(), oddString) }),
    NotificationPreferencesDto: () =>
      fc.record(
        { optionalReminders: fc.oneof(fc.boolean(), junkValue), dailyDigest: fc.oneof(fc.boolean(), junkValue) },
        { requiredKeys: [] },
      ),
  };

  /** Who calls each operation so that its validation is reached (and sometimes someone who may not). */
  const TARGETS = (): Record<string, Target[]> => {
    const { officer, panel } = fund;
    const reportParams = { id: [apps.active, apps.conditional], reportId: ids.reports };
    return {
      'POST /api/v1/funds': [{ token: admin.token }],
      'POST /api/v1/organisations': [{ token: applicant.token }],
      'PUT /api/v1/organisations/{id}': [{ token: applicant.token, params: { id: ids.orgs } }],
      'POST /api/v1/organisations/{id}/invitations': [{ token: applicant.token, params: { id: ids.orgs } }],
      'POST /api/v1/applications': [{ token: applicant.token }],
      'POST /api/v1/applications/bulk-actions/{action}': [
        { token: officer.token, params: { action: [...BULK_ACTIONS, 'approve', 'x'] } },
      ],
      'PATCH /api/v1/applications/{id}': [{ token: applicant.token, params: { id: [apps.draft, apps.draft2] } }],
      'POST /api/v1/applications/{id}/files': [{ token: applicant.token, params: { id: [apps.draft, apps.draft2] } }],
      'PUT /api/v1/applications/{id}/reports/{reportId}': [{ token: applicant.token, params: reportParams }],
      'POST /api/v1/applications/{id}/actions/{action}': [
        { token: applicant.token, params: { id: [apps.draft, apps.draft2], action: ['submit'] } },
        {
          token: officer.token,
          params: {
            id: [apps.submitted, apps.screening],
            action: ['start-screening', 'mark-ineligible', 'request-information', 'confirm-eligible'],
          },
        },
        {
          token: officer.token,
          params: { id: [apps.assessing, apps.assessing2], action: ['complete-assessment', 'mark-ineligible'] },
        },
        { token: panel.token, params: { id: [apps.deciding, apps.deciding2], action: ['approve', 'reject'] } },
        {
          token: applicant.token,
          params: { id: [apps.offered, apps.offered2], action: ['accept-offer', 'decline-offer'] },
        },
        {
          token: applicant.token,
          params: { id: [apps.informationRequested], action: ['provide-information', 'withdraw'] },
        },
        {
          token: officer.token,
          params: {
            id: [apps.conditional, apps.active],
            action: [
              'confirm-conditions',
              'release-payment',
              'suspend',
              'terminate',
              'record-return',
              'accept-report',
              'return-report',
            ],
          },
        },
        { token: applicant.token, params: { id: [apps.active], action: ['submit-report', 'withdraw'] } },
        { token: officer.token, params: { id: Object.values(apps), action: [...LIFECYCLE_ACTIONS] } },
      ],
      'PUT /api/v1/applications/{id}/assessment': [
        { token: officer.token, params: { id: [apps.assessing, apps.assessing2] } },
      ],
      'POST /api/v1/applications/{id}/conditions/{conditionId}/met': [
        { token: officer.token, params: { id: [apps.conditional], conditionId: ids.conditions } },
      ],
      'POST /api/v1/applications/{id}/conditions/{conditionId}/waive': [
        { token: officer.token, params: { id: [apps.conditional], conditionId: ids.conditions } },
      ],
      'PUT /api/v1/applications/{id}/conflict-of-interest': [
        { token: panel.token, params: { id: [apps.deciding, apps.deciding2] } },
      ],
      'POST /api/v1/applications/{id}/notes': [
        { token: officer.token, params: { id: [apps.submitted, apps.screening, apps.assessing] } },
      ],
      'POST /api/v1/users': [{ token: admin.token }],
      'PATCH /api/v1/users/{id}': [{ token: admin.token, params: { id: [staffTarget.userId, admin.userId] } }],
      'POST /api/v1/users/{id}/disable': [{ token: admin.token, params: { id: [staffTarget.userId, admin.userId] } }],
      'POST /api/v1/organisations/{id}/ownership': [{ token: applicant.token, params: { id: ids.orgs } }],
      'PUT /api/v1/me/notification-preferences': [{ token: applicant.token }, { token: officer.token }],
      // Query operations.
      'GET /api/v1/funds/{id}/payment-run': [{ token: officer.token, params: { id: [fund.id] } }],
      'GET /api/v1/funds/{id}/payment-run.csv': [{ token: officer.token, params: { id: [fund.id] } }],
      'GET /api/v1/funds/{id}/evidence': [
        { token: officer.token, params: { id: [fund.id] } },
        { token: funder.token, params: { id: [fund.id] } },
        { token: partner.token, params: { id: [fund.id] } },
      ],
      'GET /api/v1/applications': [{ token: officer.token }, { token: applicant.token }],
    };
  };

  /**
   * Query parameters of operations whose DTO the description does not list (a @Query() DTO without
   * @ApiProperty): fuzzed as if documented.
   */
  const UNDOCUMENTED_QUERIES: Record<string, string[]> = {
    'GET /api/v1/applications': ['fundId', 'state', 'limit', 'offset'],
  };

  const tokens = () => [
    null,
    'sg_not-a-real-token',
    admin.token,
    applicant.token,
    stranger.token,
    fund.officer.token,
    fund.panel.token,
    funder.token,
  ];

  /** A target's token and path, now and then someone else's token or an id that names nothing. */
  const callArb = (op: string, targets: Target[]) =>
    fc
      .tuple(
        fc.constantFrom(...targets),
        fc.nat(),
        fc.nat(99),
        fc.nat(99),
        fc.constantFrom(...tokens()),
        fc.oneof(fc.uuid(), fc.constantFrom('not-a-uuid', '..', '%2e%2e', '%E0%A4%A', 'x'.repeat(300))),
      )
      .map(([t, pick, swapToken, swapParam, otherToken, otherParam]) => {
        const [method, template] = op.split(' ');
        const names = Object.keys(t.params ?? {});
        const wrongParam = swapParam < 6 && names.length > 0 ? names[pick % names.length] : null;
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
          if (name === wrongParam) return otherParam.startsWith('%') ? otherParam : encodeURIComponent(otherParam);
          const values = t.params?.[name] ?? [];
          return encodeURIComponent(values[(pick >> 3) % values.length] ?? 'missing');
        });
        return { method, path, token: swapToken < 5 ? otherToken : t.token };
      });

  const ifMatch = fc.option(fc.constantFrom('"v1"', '"v2"', 'W/"v3"', 'v999999999', 'banana', '*', ''), {
    freq: 4,
    nil: undefined,
  });

  /** Bodies of the three kinds for one JSON operation. */
  const jsonRequests = (op: string, schema: string, targets: Target[], seed: number): Sent[] => {
    const call = callArb(op, targets);
    const withBody = (
      kind: string,
      body: fc.Arbitrary<{ body: string | undefined; headers?: Record<string, string> }>,
      numRuns: number,
    ) =>
      fc.sample(fc.tuple(call, body, ifMatch), { seed, numRuns }).map(([c, b, m]) => ({
        kind,
        op,
        method: c.method,
        url: c.path,
        token: c.token,
        headers: {
          ...(b.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(m !== undefined ? { 'if-match': m } : {}),
          ...(b.headers ?? {}),
        },
        body: b.body,
      }));
    const asJson = (a: fc.Arbitrary<unknown>) => a.map((v) => ({ body: JSON.stringify(v) ?? 'null' }));
    const malformed = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((body) => ({ body })) },
      { weight: 1, arbitrary: fc.constant({ body: '' }) },
      { weight: 1, arbitrary: fc.constant({ body: undefined }) },
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.constantFrom(
              'text/plain',
              'application/xml',
              'application/x-www-form-urlencoded',
              'multipart/form-data',
              'application/json; charset=latin1',
              'application/octet-stream',
              'application/json, text/plain',
              '',
            ),
            fieldText,
          )
          .map(([ct, body]) => ({
            body: ct === 'application/x-www-form-urlencoded' ? `answers=${encodeURIComponent(body)}&title=x` : body,
            headers: { 'content-type': ct },
          })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(1_100_000, 3_000_000)
          .map((n) => ({ body: JSON.stringify({ title: 'x'.repeat(n) }) })),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('name', 'email', 'answers', 'note', 'body'), fieldText)
          .map(([name, value]) => multipartBody(name, value)),
      },
    );
    return [
      ...withBody('shaped', asJson(shaped(BODIES[schema]())), RUNS.shaped),
      ...withBody(
        'fc.json',
        fc.json({ maxDepth: 3 }).map((body) => ({ body })),
        RUNS.json,
      ),
      ...withBody('fc.anything', asJson(fc.anything({ maxDepth: 3 })), RUNS.anything),
      ...withBody('malformed', malformed, RUNS.malformed),
    ];
  };

  /** Multipart uploads: a question id and a file, or neither, or a broken body. */
  const multipartRequests = (op: string, targets: Target[], seed: number): Sent[] => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const part = fc.record({
      questionId: fc.oneof(fc.constantFrom('safeguarding_policy', 'project_name', ''), oddString),
      filename: fc.oneof(
        fc.constantFrom('policy.pdf', 'policy.docx', '', '../../etc/passwd', 'a"b.pdf', 'ünï😀.pdf'),
        fc.string({ maxLength: 20 }),
      ),
      type: fc.constantFrom('application/pdf', 'text/html', 'application/octet-stream', ''),
      bytes: fc.oneof(
        fc.constant(pdf),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.constant(Buffer.from('PK\u0003\u0004 not a zip')),
      ),
      files: fc.integer({ min: 0, max: 2 }),
      broken: fc.nat(9),
    });
    return fc
      .sample(fc.tuple(callArb(op, targets), part), { seed, numRuns: RUNS.shaped + RUNS.malformed })
      .map(([c, p]) => {
        const b = 'fuzzBoundary7MA4YWxkTrZu0gW';
        const chunks: Buffer[] = [
          Buffer.from(
            `--${b}\r\ncontent-disposition: form-data; name="questionId"\r\n\r\n${p.questionId.replace(/[\r\n]/g, ' ')}\r\n`,
          ),
        ];
        for (let i = 0; i < p.files; i++) {
          chunks.push(
            Buffer.from(
              `--${b}\r\ncontent-disposition: form-data; name="file"; filename="${p.filename.replace(/[\r\n"]/g, '_')}"\r\ncontent-type: ${p.type}\r\n\r\n`,
            ),
            p.bytes,
            Buffer.from('\r\n'),
          );
        }
        chunks.push(Buffer.from(p.broken === 0 ? `--${b}\r\ncontent-disposition: form-da` : `--${b}--\r\n`));
        const boundary = p.broken === 1 ? '' : `; boundary=${b}`;
        return {
          kind: p.broken <= 1 ? 'malformed' : 'shaped',
          op,
          method: c.method,
          url: c.path,
          token: c.token,
          headers: { 'content-type': `multipart/form-data${boundary}` },
          body: Buffer.concat(chunks),
        };
      });
  };

  /** Query strings: documented parameters with odd values, repeated, and unknown ones. */
  const queryRequests = (op: string, names: string[], targets: Target[], seed: number): Sent[] => {
    const value = fc.oneof(
      fieldText,
      fc.uuid(),
      fc.constant(fund.id),
      fc.constantFrom(
        '2027-02-01',
        '2027-02-30',
        'E06000002',
        'E99999999',
        'draft',
        'active',
        '-1',
        '201',
        '0',
        '1e3',
        '0x10',
      ),
    );
    const pair = fc.tuple(
      fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...names) },
        { weight: 1, arbitrary: extraKey },
        { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => `${n}[]`) },
      ),
      value,
    );
    const raw = fc.constantFrom(
      '%',
      '%ZZ',
      '&&&',
      '=',
      `${names[0]}=%00`,
      `${names[0]}[a]=1`,
      `${names[0]}=1&${names[0]}=2`,
      'a'.repeat(5000),
    );
    const query = fc.oneof(
      { weight: 5, arbitrary: fc.array(pair, { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()) },
      { weight: 1, arbitrary: raw },
    );
    return fc
      .sample(fc.tuple(callArb(op, targets), query), { seed, numRuns: RUNS.query })
      .map(([c, q]) => ({ kind: 'query', op, method: c.method, url: `${c.path}?${q}`, token: c.token, headers: {} }));
  };

  /** A well-formed multipart body with one field: JSON operations must refuse it, not crash on it. */
  const multipartBody = (name: string, value: string) => ({
    body: `--fuzzB\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value.replace(/[\r\n]/g, ' ')}\r\n--fuzzB--\r\n`,
    headers: { 'content-type': 'multipart/form-data; boundary=fuzzB' },
  });

  async function send(r: Sent): Promise<{ status: number; contentType: string; text: string }> {
    const res = await fetch(s.baseUrl + r.url, {
      method: r.method,
      headers: { ...(r.token ? { authorization: `Bearer ${r.token}` } : {}), ...r.headers },
      body: r.body,
    });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  const documented = () => {
    const ops: { op: string; schema?: string; multipart: boolean; queries: string[] }[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, o] of Object.entries(methods)) {
        const op = `${method.toUpperCase()} ${path}`;
        const content = o.requestBody?.content ?? {};
        const ref = content['application/json']?.schema?.$ref;
        const queries = [
          ...(o.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
          ...(UNDOCUMENTED_QUERIES[op] ?? []),
        ];
        if (o.requestBody || queries.length > 0)
          ops.push({ op, schema: ref?.split('/').pop(), multipart: 'multipart/form-data' in content, queries });
      }
    }
    return ops;
  };

  it('has a generator and a caller for every operation with a body or query parameters', () => {
    const targets = TARGETS();
    const missing = documented().flatMap(({ op, schema, multipart, queries }) => [
      ...(!targets[op] ? [`${op}: no caller in TARGETS`] : []),
      ...(schema && !BODIES[schema] ? [`${op}: no body generator for ${schema}`] : []),
      ...(!schema && !multipart && queries.length === 0 ? [`${op}: a body of a kind this suite cannot generate`] : []),
    ]);
    expect(missing).toEqual([]);
    expect(documented().length).toBeGreaterThanOrEqual(20);
  });

  it('refuses unreadable form data, form data where JSON belongs, and text PostgreSQL cannot store with a 4xx and no change (found by this suite: all were 500s)', async () => {
    const before = await fingerprint(s.ds, world);
    const file =
      '--b\r\ncontent-disposition: form-data; name="file"; filename="a.pdf"\r\ncontent-type: application/pdf\r\n\r\n%PDF-1.4\r\n';
    const twoFiles = `--b\r\ncontent-disposition: form-data; name="questionId"\r\n\r\nsafeguarding_policy\r\n${file}${file}`;
    const cases: [string, string, Record<string, string>, string, number, string][] = [
      ['POST', '/api/v1/users', { 'content-type': 'multipart/form-data' }, 'no boundary', 415, 'http_415'],
      [
        'POST',
        `/api/v1/applications/${apps.draft}/files`,
        { 'content-type': 'multipart/form-data' },
        'no boundary',
        400,
        'invalid_multipart',
      ],
      [
        'POST',
        `/api/v1/applications/${apps.draft}/files`,
        { 'content-type': 'multipart/form-data; boundary=b' },
        '--b\r\ncontent-disposition: form-data; name="questionId"\r\n\r\nx\r\n--b\r\ncontent-dispo',
        400,
        'invalid_multipart',
      ],
      [
        'POST',
        '/api/v1/organisations',
        { 'content-type': 'multipart/form-data; boundary=b' },
        '--b\r\ncontent-disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n',
        415,
        'http_415',
      ],
      [
        'POST',
        `/api/v1/applications/${apps.draft}/files`,
        { 'content-type': 'multipart/form-data; boundary=b' },
        `${twoFiles}--b--\r\n`,
        413,
        'http_413',
      ],
    ];
    const json = { 'content-type': 'application/json' };
    cases.push(
      [
        'POST',
        '/api/v1/organisations',
        json,
        JSON.stringify(organisationProfile({ name: 'Tees\u0000Sisters' })),
        400,
        'unstorable_text',
      ],
      [
        'PATCH',
        `/api/v1/applications/${apps.draft}`,
        json,
        JSON.stringify({ answers: { project_name: 'half a pair \ud800' } }),
        400,
        'unstorable_text',
      ],
      [
        'PATCH',
        `/api/v1/applications/${apps.draft}`,
        json,
        JSON.stringify({ title: 'nul \u0000' }),
        400,
        'unstorable_text',
      ],
      ['GET', '/api/v1/funds/pilot%00', {}, '', 400, 'unstorable_text'],
      ['GET', '/api/v1/applications?state=dr%00aft', {}, '', 400, 'unstorable_text'],
    );
    for (const [method, url, headers, body, status, code] of cases) {
      const r = await send({
        kind: 'regression',
        op: url,
        method,
        url,
        token: method === 'POST' && url.endsWith('/users') ? admin.token : applicant.token,
        headers,
        body: method === 'GET' ? undefined : body,
      });
      expect({ url, status: r.status, type: r.contentType.split(';')[0], code: JSON.parse(r.text).code }).toEqual({
        url,
        status,
        type: 'application/problem+json',
        code,
      });
    }
    expect(changedTables(before, await fingerprint(s.ds, world))).toEqual([]);
  });

  it('answers every generated body below 500, with problem+json on 4xx, and changes nothing on 4xx', async () => {
    const targets = TARGETS();
    const requests: Sent[] = [];
    documented().forEach(({ op, schema, multipart, queries }, i) => {
      if (schema) requests.push(...jsonRequests(op, schema, targets[op], SEED + i));
      if (multipart) requests.push(...multipartRequests(op, targets[op], SEED + i));
      if (queries.length > 0) requests.push(...queryRequests(op, queries, targets[op], SEED + i));
    });
    // Interleave operations so that a body that changes a fixture early does not starve the rest.
    const order = fc.sample(
      fc.shuffledSubarray(
        requests.map((_, i) => i),
        { minLength: requests.length },
      ),
      { seed: SEED, numRuns: 1 },
    )[0];

    const failures = new Map<string, { count: number; example: string }>();
    const fail = (what: string, r: Sent, status: number | string, example: string) => {
      const key = `${what} ${r.op} ${status}`;
      const f = failures.get(key) ?? { count: 0, example: example.slice(0, 700) };
      f.count++;
      failures.set(key, f);
    };
    const statuses = new Map<number, number>();
    let before: Fingerprint = await fingerprint(s.ds, world);
    // The fingerprint must see the changes successful posts make, or its silence on a 4xx means nothing.
    let changesOnSuccess = 0;
    const started = Date.now();
    for (const i of order) {
      const r = requests[i];
      let res: { status: number; contentType: string; text: string };
      try {
        res = await send(r);
      } catch (err) {
        fail('request failed', r, 'none', `${r.kind} ${r.method} ${r.url}: ${(err as Error).message}`);
        continue;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const after = await fingerprint(s.ds, world);
      const example = `${r.kind} ${r.method} ${r.url.slice(0, 200)} ${JSON.stringify(r.headers)} body=${String(r.body ?? '').slice(0, 250)} → ${res.status} ${res.text.slice(0, 250)}`;
      if (res.status >= 500) fail('5xx', r, res.status, example);
      if (res.status >= 400 && res.status < 500) {
        let detail: unknown;
        try {
          detail = JSON.parse(res.text).detail;
        } catch {
          detail = undefined;
        }
        // Every 4xx, including those Node's HTTP parser gives before Fastify (431), is problem+json.
        if (!res.contentType.includes('application/problem+json') || typeof detail !== 'string' || detail === '')
          fail('not problem+json', r, res.status, example);
      }
      const changed = changedTables(before, after);
      if ((res.status >= 400 || r.method === 'GET') && changed.length > 0)
        fail(`changed ${changed.join(', ')}`, r, res.status, example);
      if (res.status < 400 && changed.length > 0) changesOnSuccess++;
      before = after;
    }
    const fives = [...statuses].filter(([st]) => st >= 500).reduce((a, [, n]) => a + n, 0);
    console.log(
      `fuzz-api: ${requests.length} bodies tried, ${fives} responses >= 500 (${documented().length} operations, ${changesOnSuccess} successful changes seen, ${Math.round((Date.now() - started) / 1000)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))})`,
    );
    const report = [...failures].map(([key, f]) => `${key} ×${f.count}: ${f.example}`);
    if (report.length > 0) console.log(report.join('\n\n'));
    expect([...failures.keys()]).toEqual([]);
    expect(changesOnSuccess).toBeGreaterThan(10);
  });
});
