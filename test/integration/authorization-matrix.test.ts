import { writeFileSync } from 'node:fs';
import {
  buildWorld,
  CONFLICTED,
  SHUT_OUT_ROLES,
  OrgFixture,
  OrgKey,
  PDF,
  RoleKey,
  ROLES,
  World,
} from '../support/authz-world';
import { rubricScores } from '../support/pilot';
import { hasLiveRoute, LiveRoute, liveRoutes } from '../support/route-table';

/**
 * The authorisation matrix (issue 7, item 3). Every route the running API answers — the JSON API,
 * the portal's pages, the API description and the queue board — is read from Fastify's router and
 * must have a row in POLICY below, which says who may use it and on what scope. Each row is then
 * tried by every role (anonymous included) on every scope it has: organisation A's records and
 * organisation B's (own or other organisation for an applicant, own or other area for a partner
 * officer), the fund the staff work on and another fund, an area filter of each area.
 *
 * A caller who may use the route must get past authorisation: 2xx, a redirect that is not to
 * sign in, or a 4xx other than 401/403/404 (the request is deliberately refused later: a missing
 * reason, the wrong state). A caller who may not must be refused: 401 (anonymous, API), 303 to
 * /sign-in (anonymous, page), 403 or 404. A leak is any 2xx/3xx for a caller who may not, or any
 * response at all that carries something of someone else's the caller may never read (see
 * Marker in test/support/authz-world.ts: organisation names, references, answers, file names,
 * notes, each with who may read it).
 *
 * Requests are chosen so that an allowed caller changes nothing that later requests depend on
 * (a stale If-Match, a missing reason, the wrong state); the few that do change something (a
 * condition signed off, a fund or staff account created) change nothing anyone's access depends
 * on, and those that end a session (signing out everywhere also revokes the API token) run
 * last. Besides: every JSON API route must answer 401 to a portal session without a token, and
 * every marker must have been read by someone allowed to (so that the leak check is known to look
 * at real data).
 *
 * It prints its counts and every failure; AUTHZ_MATRIX_OUT=<file> also writes every request's outcome.
 */

// ---------------------------------------------------------------------------------------------
// The policy

/**
 * Who may use a route. `owner`: a member of the target's organisation; `partner:area`: the partner
 * officer whose area the target is in; `officer`, `partner`, `panel`, `funder`: that role on the
 * target's fund (nobody here works on the second fund); `admin`: any fund. `officer` and `panel`
 * include the conflicted officer and panel member, except on what they declared a conflict in;
 * `declarant`: the officer, partner officer of the area and panel member, conflicted or not.
 */
type Grant =
  | 'public'
  | 'signed-in'
  | 'applicant'
  | 'owner'
  | 'officer'
  | 'partner'
  | 'partner:area'
  | 'panel'
  | 'funder'
  | 'admin'
  | 'declarant';

/** What fills the path: nothing, a fund (ours, another), an area of our fund, or organisation A's or B's record. */
type On =
  | 'none'
  | 'fund'
  | 'area'
  | 'org'
  | 'draft'
  | 'screening'
  | 'awaiting'
  | 'active'
  | 'draft-file'
  | 'grant-file'
  | 'report'
  | 'condition';

interface Target {
  org?: OrgFixture;
  /** Whose the target is: the organisation's, or (an area filter) the organisation's in that area. */
  of?: OrgKey;
  /** The application the variant is on (its organisation's draft, screening, awaiting or active one). */
  app?: string;
  fund: { id: string; slug: string; ours: boolean };
  area?: string;
  /** Who declared a conflict of interest in the target application (not its organisation or area). */
  conflicted?: readonly RoleKey[];
}

interface Variant {
  on: On;
  allow: readonly Grant[];
  /** Path parameters (and `*`) by name. */
  params?: (t: Target, w: World) => Record<string, string>;
  query?: (t: Target, w: World) => string;
  /** JSON for the API and the board, form fields for a page. */
  body?: (t: Target, w: World) => unknown;
  headers?: Record<string, string>;
  multipart?: boolean;
  label?: string;
  /** A refused caller may also get this status (why: the page re-renders itself with the refusal). */
  deniedAlso?: { status: number; why: string };
  /** An allowed caller may also get this status. */
  allowedAlso?: { status: number; why: string };
  /** Roles not sent (why: the request would disturb other suites). */
  skip?: { roles: readonly RoleKey[]; why: string };
  /** A further leak check on the response. */
  check?: (c: Check) => string | null;
  /** Runs after everything else: 1 changes the caller's API tokens, 2 ends the session (and may revoke tokens). */
  last?: 1 | 2;
}

interface Rule {
  route: string;
  cases: Variant[];
}

interface Check {
  role: RoleKey;
  allowed: boolean;
  t: Target;
  w: World;
  status: number;
  json: any;
}

const SEES = {
  draft: ['owner'],
  screening: ['owner', 'officer', 'partner:area'],
  panel: ['owner', 'officer', 'partner:area', 'panel'],
} as const satisfies Record<string, readonly Grant[]>;
const ORGANISATION_READERS: readonly Grant[] = ['owner', 'officer', 'partner:area', 'panel'];
const FUND_MONEY: readonly Grant[] = ['officer', 'admin'];
const MONEY_REPORT: readonly Grant[] = ['officer', 'partner', 'panel', 'admin'];
const EVIDENCE: readonly Grant[] = ['officer', 'partner', 'funder', 'admin'];
const DESK: readonly Grant[] = ['officer', 'partner', 'panel'];

const fundId = (t: Target) => ({ id: t.fund.id });
const deskFund = (t: Target) => ({ fundId: t.fund.id });
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** The row that says where a refused page re-renders itself instead of answering 403/404. */
const RERENDERS = (what: string) => ({ status: 400, why: `the page re-renders itself with the refusal (${what})` });

const BOARD_FILL = {
  queueName: 'authz-no-such-queue',
  jobId: '1',
  queueStatus: 'failed',
  schedulerId: 'none',
  '*': 'images/logo.svg',
};
const BOARD_404 = { status: 404, why: 'the board answers 404 for a queue or job that does not exist' };
const board = (method: string, path: string, extra: Partial<Variant> = {}): Rule => ({
  route: `${method} /admin/queues${path}`,
  cases: [
    {
      on: 'none',
      allow: ['admin'],
      params: () => BOARD_FILL,
      allowedAlso: BOARD_404,
      body: method === 'GET' ? undefined : () => ({}),
      ...extra,
    },
  ],
});
/** An id that names no token: revoking it is 404 for everyone (another person's token is too). */
const NO_SUCH_TOKEN = '00000000-0000-4000-8000-000000000000';
const pub = (route: string, extra: Partial<Variant> = {}): Rule => ({
  route,
  cases: [{ on: 'none', allow: ['public'], ...extra }],
});

const POLICY: Rule[] = [
  // The API's health and description, the stylesheet: anyone.
  pub('GET /api/health'),
  pub('GET /api/docs'),
  pub('GET /api/docs/'),
  pub('GET /api/docs/index.html'),
  pub('GET /api/docs/LICENSE', {
    allowedAlso: { status: 404, why: 'Swagger registers the route but serves no such file' },
  }),
  pub('GET /api/docs/openapi.json'),
  pub('GET /api/docs/swagger-ui-init.js'),
  pub('GET /api/docs/docs/swagger-ui-init.js'),
  pub('GET /api/docs/*', { params: () => ({ '*': 'swagger-ui.css' }) }),
  pub('GET /api/docs/docs/*', { params: () => ({ '*': 'swagger-ui.css' }) }),
  pub('GET /api/docs-yaml'),
  pub('GET /assets/portal.css'),

  // Funds.
  { route: 'POST /api/v1/funds', cases: [{ on: 'none', allow: ['admin'], body: (_t, w) => w.s.pilotDefinition() }] },
  { route: 'GET /api/v1/funds', cases: [{ on: 'none', allow: ['signed-in'] }] },
  {
    route: 'GET /api/v1/funds/:idOrSlug',
    cases: [
      {
        on: 'fund',
        allow: ['signed-in'],
        params: (t) => ({ idOrSlug: t.fund.id }),
        // The money summary is for the fund's staff and funder, and administrators.
        check: ({ role, t, json }) =>
          json?.money && !(role === 'admin' || (t.fund.ours && STAFF_OF_OUR_FUND.includes(role)))
            ? 'the fund’s money summary'
            : null,
      },
    ],
  },
  { route: 'GET /api/v1/funds/:id/form', cases: [{ on: 'fund', allow: ['signed-in'], params: fundId }] },
  { route: 'GET /api/v1/funds/:id/report-form', cases: [{ on: 'fund', allow: ['signed-in'], params: fundId }] },
  { route: 'GET /api/v1/funds/:id/ledger', cases: [{ on: 'fund', allow: FUND_MONEY, params: fundId }] },
  { route: 'GET /api/v1/funds/:id/money', cases: [{ on: 'fund', allow: MONEY_REPORT, params: fundId }] },
  { route: 'GET /api/v1/funds/:id/payment-run', cases: [{ on: 'fund', allow: FUND_MONEY, params: fundId }] },
  { route: 'GET /api/v1/funds/:id/payment-run.csv', cases: [{ on: 'fund', allow: FUND_MONEY, params: fundId }] },
  { route: 'GET /api/v1/funds/:id/fee-statement', cases: [{ on: 'fund', allow: FUND_MONEY, params: fundId }] },
  ...['applications.csv', 'awards.csv', 'payments.csv', 'reports.csv', '360giving.json'].map((file) => ({
    route: `GET /api/v1/funds/:id/exports/${file}`,
    cases: [{ on: 'fund' as const, allow: FUND_MONEY, params: fundId }],
  })),
  {
    route: 'GET /api/v1/funds/:id/evidence',
    cases: [
      { on: 'fund', allow: EVIDENCE, params: fundId, check: funderSuppressed },
      {
        on: 'area',
        allow: ['officer', 'partner:area', 'funder', 'admin'],
        params: fundId,
        query: (t) => `?area=${t.area}`,
        label: 'one area',
        check: funderSuppressed,
      },
    ],
  },

  // Files: whoever may read the application they belong to.
  {
    route: 'GET /api/v1/files/:fileId',
    cases: [
      { on: 'draft-file', allow: SEES.draft, params: (t) => ({ fileId: t.org!.draftFileId }) },
      { on: 'grant-file', allow: SEES.panel, params: (t) => ({ fileId: t.org!.grantFileId }) },
    ],
  },

  // Organisations.
  {
    route: 'POST /api/v1/organisations',
    cases: [
      {
        on: 'none',
        allow: ['applicant'],
        body: (_t, w) => ({ ...w.orgs.A.profile, name: `Matrix extra ${unique()}`, postcode: 'TS5 6AA' }),
      },
    ],
  },
  { route: 'GET /api/v1/organisations', cases: [{ on: 'none', allow: ['signed-in'] }] },
  {
    route: 'GET /api/v1/organisations/:id',
    cases: [{ on: 'org', allow: ORGANISATION_READERS, params: (t) => ({ id: t.org!.id }) }],
  },
  {
    route: 'PUT /api/v1/organisations/:id',
    cases: [{ on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id }), body: (t) => t.org!.profile }],
  },
  {
    route: 'GET /api/v1/organisations/:id/members',
    cases: [{ on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id }) }],
  },
  {
    route: 'POST /api/v1/organisations/:id/invitations',
    cases: [
      {
        on: 'org',
        allow: ['owner'],
        params: (t) => ({ id: t.org!.id }),
        body: () => ({ email: `invited-${unique()}@matrix.example` }),
      },
    ],
  },

  // Membership: the owner's requests name themselves (409: the owner neither leaves, removes
  // themselves nor takes the ownership they have), except revoking, which revokes the world's invitation.
  {
    route: 'DELETE /api/v1/organisations/:id/invitations/:invitationId',
    cases: [
      { on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id, invitationId: t.org!.invitationIds.api }) },
    ],
  },
  {
    route: 'DELETE /api/v1/organisations/:id/members/:userId',
    cases: [{ on: 'org', allow: ['owner'], params: ownerOf }],
  },
  {
    route: 'POST /api/v1/organisations/:id/ownership',
    cases: [
      {
        on: 'org',
        allow: ['owner'],
        params: (t) => ({ id: t.org!.id }),
        body: (t, w) => ({ userId: ownerOf(t, w).userId }),
      },
    ],
  },
  {
    route: 'POST /api/v1/organisations/:id/leave',
    cases: [{ on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id }) }],
  },

  // Applications.
  // Funder viewers and administrators see aggregates and configuration only: no list of applications.
  { route: 'GET /api/v1/applications', cases: [{ on: 'none', allow: ['applicant', 'officer', 'partner', 'panel'] }] },
  {
    route: 'POST /api/v1/applications',
    cases: [
      {
        on: 'org',
        allow: ['owner'],
        body: (t, w) => ({ fundId: w.fund1.id, organisationId: t.org!.id }),
        deniedAlso: {
          status: 422,
          why: 'the organisation is input: "not one of your organisations", the same for any id',
        },
      },
    ],
  },
  {
    route: 'POST /api/v1/applications/bulk-actions/:action',
    // Anyone signed in may call it; each application is judged on its own (and refused here: no message).
    cases: [
      {
        on: 'screening',
        allow: ['signed-in'],
        params: () => ({ action: 'request-information' }),
        body: (t) => ({ applicationIds: [t.org!.screening.id] }),
        check: bulkItems,
      },
    ],
  },
  {
    route: 'GET /api/v1/applications/:id',
    cases: [
      { on: 'draft', allow: SEES.draft },
      { on: 'screening', allow: SEES.screening },
      { on: 'active', allow: SEES.panel },
    ],
  },
  {
    route: 'PATCH /api/v1/applications/:id',
    cases: [
      {
        on: 'draft',
        allow: ['owner'],
        body: () => ({ title: 'Changed by the matrix' }),
        headers: { 'if-match': '"v0"' },
        label: 'stale If-Match',
      },
      { on: 'active', allow: ['owner'], body: () => ({ title: 'Changed by the matrix' }), label: 'not a draft' },
    ],
  },
  ...['events', 'files', 'payments', 'reports', 'conditions'].map((sub): Rule => ({
    route: `GET /api/v1/applications/:id/${sub}`,
    cases: [
      { on: 'draft', allow: SEES.draft },
      { on: 'active', allow: SEES.panel },
    ],
  })),
  {
    route: 'POST /api/v1/applications/:id/files',
    // A file for a question that takes none: the owner's upload is refused after authorisation (400, or 409 once submitted).
    cases: [
      { on: 'draft', allow: ['owner'], multipart: true },
      { on: 'active', allow: ['owner'], multipart: true },
    ],
  },
  { route: 'GET /api/v1/applications/:id/reports/:reportId', cases: [{ on: 'report', allow: SEES.panel }] },
  {
    route: 'PUT /api/v1/applications/:id/reports/:reportId',
    cases: [{ on: 'report', allow: ['owner'], body: (t) => ({ answers: { narrative: t.org!.reportSecret } }) }],
  },
  {
    route: 'POST /api/v1/applications/:id/actions/:action',
    // Each action lacks what it needs, so an allowed caller's request is refused (422) after authorisation.
    cases: [
      { on: 'draft', allow: ['owner'], params: action('submit'), body: () => ({}), label: 'submit (incomplete)' },
      {
        on: 'screening',
        allow: ['officer', 'partner:area'],
        params: action('request-information'),
        body: () => ({}),
        label: 'request-information (no message)',
      },
      {
        on: 'awaiting',
        allow: ['officer', 'panel'],
        params: action('approve'),
        body: () => ({}),
        label: 'approve (no amount)',
      },
      { on: 'active', allow: ['officer'], params: action('suspend'), body: () => ({}), label: 'suspend (no reason)' },
      {
        on: 'active',
        allow: ['owner'],
        params: action('submit-report'),
        body: () => ({}),
        label: 'submit-report (no report)',
      },
    ],
  },
  {
    route: 'GET /api/v1/applications/:id/assessment',
    cases: [
      { on: 'screening', allow: ['officer', 'partner:area'] },
      { on: 'active', allow: ['officer', 'partner:area', 'panel'] },
    ],
  },
  // Scored only in risk_assessment: the assessors' request is refused (409) after authorisation.
  {
    route: 'PUT /api/v1/applications/:id/assessment',
    cases: [{ on: 'screening', allow: ['officer', 'partner:area'], body: () => ({ scores: rubricScores() }) }],
  },
  {
    route: 'POST /api/v1/applications/:id/assessment/countersign',
    cases: [{ on: 'screening', allow: ['officer', 'partner:area'], body: () => ({}) }],
  },
  // Grant officers (the managing VDA's, and the partner VDA's in its area) sign conditions off: the first one's
  // request does it (200), the rest find it done (409).
  ...['met', 'waive'].map((outcome): Rule => ({
    route: `POST /api/v1/applications/:id/conditions/:conditionId/${outcome}`,
    cases: [{ on: 'condition', allow: ['officer', 'partner:area'], body: () => ({ note: 'Seen the rota' }) }],
  })),
  {
    route: 'PUT /api/v1/applications/:id/conflict-of-interest',
    // Last: a declaration changes what the declarant may read.
    cases: [{ on: 'active', allow: ['declarant'], body: () => ({ conflicted: false }), last: 1 }],
  },
  {
    route: 'GET /api/v1/applications/:id/conflict-of-interest',
    cases: [{ on: 'active', allow: ['declarant'] }],
  },
  {
    route: 'GET /api/v1/applications/:id/notes',
    cases: [{ on: 'active', allow: ['officer', 'partner:area', 'panel'] }],
  },
  // A blank note: refused (400) after authorisation.
  {
    route: 'POST /api/v1/applications/:id/notes',
    cases: [{ on: 'active', allow: ['officer', 'partner:area'], body: () => ({ body: ' ' }) }],
  },

  // People.
  {
    route: 'POST /api/v1/users',
    cases: [
      {
        on: 'none',
        allow: ['admin'],
        body: (_t, w) => ({
          email: `staff-${unique()}@matrix.example`,
          displayName: 'Matrix Staff',
          role: 'panel_member',
          partnerOrganisationSlug: w.fund1.definition.managingOrganisation.slug,
        }),
      },
    ],
  },
  // Staff administration: an administrator's requests name their own account, so that nothing changes
  // (the same role: no change; disabling oneself: 409; enabling an enabled account: no change).
  { route: 'GET /api/v1/users', cases: [{ on: 'none', allow: ['admin'] }] },
  {
    route: 'PATCH /api/v1/users/:id',
    cases: [{ on: 'none', allow: ['admin'], params: ownAdmin, body: () => ({ role: 'admin' }) }],
  },
  {
    route: 'POST /api/v1/users/:id/disable',
    cases: [{ on: 'none', allow: ['admin'], params: ownAdmin, body: () => ({ reason: 'left_the_organisation' }) }],
  },
  { route: 'POST /api/v1/users/:id/enable', cases: [{ on: 'none', allow: ['admin'], params: ownAdmin }] },
  // Resetting one's own second factor: 409 (another administrator does it).
  {
    route: 'POST /api/v1/users/:id/second-factor/reset',
    cases: [{ on: 'none', allow: ['admin'], params: ownAdmin }],
  },
  { route: 'GET /api/v1/me/notification-preferences', cases: [{ on: 'none', allow: ['signed-in'] }] },
  {
    route: 'PUT /api/v1/me/notification-preferences',
    cases: [{ on: 'none', allow: ['signed-in'], body: () => ({ optionalReminders: true }) }],
  },
  { route: 'GET /api/v1/me/tokens', cases: [{ on: 'none', allow: ['signed-in'] }] },
  {
    route: 'DELETE /api/v1/me/tokens/:id',
    cases: [
      {
        on: 'none',
        allow: ['signed-in'],
        params: () => ({ id: NO_SUCH_TOKEN }),
        allowedAlso: { status: 404, why: 'a token that does not exist, or is someone else’s' },
      },
    ],
  },

  // Portal: accounts. Public forms are sent empty or wrong, so that nothing is created.
  pub('GET /'),
  pub('GET /register'),
  pub('POST /register', { body: () => ({}) }),
  pub('POST /resend-verification', { body: () => ({ email: 'nobody@matrix.example' }) }),
  pub('GET /verify-email/:token', {
    params: () => ({ token: 'not-a-token' }),
    allowedAlso: { status: 404, why: 'a link that was never sent' },
  }),
  pub('POST /verify-email/:token', {
    params: () => ({ token: 'not-a-token' }),
    body: () => ({}),
    allowedAlso: { status: 404, why: 'a link that was never sent' },
  }),
  pub('GET /sign-in'),
  // A wrong password, from an address of its own, so that no one's sign-in throttle counts it.
  pub('POST /sign-in', {
    body: () => ({ email: `nobody-${unique()}@matrix.example`, password: 'not the password' }),
    headers: { 'x-forwarded-for': '198.51.100.7' },
  }),
  // Ends the session and revokes the caller's token: after everything else, before the plain sign-out.
  {
    route: 'POST /account/sign-out-everywhere',
    cases: [{ on: 'none', allow: ['signed-in'], body: () => ({}), last: 2 }],
  },
  pub('POST /sign-out', { body: () => ({}), last: 2 }),
  pub('GET /forgot-password'),
  pub('POST /forgot-password', { body: () => ({ email: 'not an address' }) }),
  pub('GET /reset-password/:token', {
    params: () => ({ token: 'not-a-token' }),
    allowedAlso: { status: 404, why: 'a link that was never sent' },
  }),
  pub('POST /reset-password/:token', {
    params: () => ({ token: 'not-a-token' }),
    body: () => ({ password: 'x' }),
    allowedAlso: { status: 404, why: 'a link that was never sent' },
  }),
  { route: 'GET /account', cases: [{ on: 'none', allow: ['signed-in'] }] },
  {
    route: 'POST /account/notifications',
    cases: [{ on: 'none', allow: ['signed-in'], body: () => ({ optionalReminders: 'yes' }) }],
  },
  // A wrong password: refused after authorisation (400), and no token is minted.
  {
    route: 'POST /account/api-tokens',
    cases: [{ on: 'none', allow: ['signed-in'], body: () => ({ name: 'Matrix', password: 'not the password' }) }],
  },
  {
    route: 'POST /account/api-tokens/:id/revoke',
    cases: [
      {
        on: 'none',
        allow: ['signed-in'],
        params: () => ({ id: NO_SUCH_TOKEN }),
        body: () => ({}),
        allowedAlso: { status: 404, why: 'a token that does not exist, or is someone else’s' },
      },
    ],
  },
  // The second factor (STAFF_SECOND_FACTOR=optional here, no one enrolled): anyone signed in is
  // sent on from the code page; enrolment is for staff, and a code with no secret re-renders it.
  { route: 'GET /sign-in/code', cases: [{ on: 'none', allow: ['signed-in'] }] },
  { route: 'POST /sign-in/code', cases: [{ on: 'none', allow: ['signed-in'], body: () => ({ code: '000000' }) }] },
  {
    route: 'GET /account/second-factor',
    cases: [{ on: 'none', allow: ['officer', 'partner', 'panel', 'funder', 'admin'] }],
  },
  {
    route: 'POST /account/second-factor',
    cases: [
      { on: 'none', allow: ['officer', 'partner', 'panel', 'funder', 'admin'], body: () => ({ code: '000000' }) },
    ],
  },
  {
    route: 'GET /invitations/:token',
    cases: [{ on: 'none', allow: ['signed-in'], params: () => ({ token: 'not-a-token' }) }],
  },
  {
    route: 'POST /invitations/:token',
    cases: [
      {
        on: 'none',
        allow: ['signed-in'],
        params: () => ({ token: 'not-a-token' }),
        body: () => ({}),
        allowedAlso: { status: 404, why: 'an invitation that was never sent' },
      },
    ],
  },

  // Portal: funds and applications.
  pub('GET /funds/:slug', { on: 'fund', params: (t) => ({ slug: t.fund.slug }) }),
  {
    route: 'POST /funds/:slug/applications',
    cases: [
      {
        on: 'org',
        allow: ['owner'],
        params: (_t, w) => ({ slug: w.fund1.slug }),
        body: (t) => ({ organisationId: t.org!.id }),
        deniedAlso: RERENDERS('"choose one of your organisations"'),
      },
    ],
  },
  {
    route: 'GET /applications/:id',
    cases: [
      { on: 'draft', allow: SEES.draft },
      { on: 'active', allow: SEES.panel },
    ],
  },
  {
    route: 'GET /applications/:id/sections/:sectionId',
    cases: [{ on: 'draft', allow: ['owner'], params: (t) => ({ id: t.org!.draft.id, sectionId: 'the_activity' }) }],
  },
  {
    route: 'POST /applications/:id/sections/:sectionId',
    cases: [
      {
        on: 'draft',
        allow: ['owner'],
        params: (t) => ({ id: t.org!.draft.id, sectionId: 'the_activity' }),
        body: () => ({ languages_offered: 'Urdu', next: 'later' }),
      },
    ],
  },
  { route: 'GET /applications/:id/check', cases: [{ on: 'draft', allow: ['owner'] }] },
  // No declaration ticked: the owner's submission is refused (400) after authorisation.
  { route: 'POST /applications/:id/submit', cases: [{ on: 'draft', allow: ['owner'], body: () => ({}) }] },
  // These pages answer whoever may read the application; the lifecycle machine (409) or the form (400) refuses the rest.
  {
    route: 'POST /applications/:id/information',
    cases: [{ on: 'active', allow: SEES.panel, body: () => ({ message: 'Here is what you asked for' }) }],
  },
  { route: 'POST /applications/:id/offer', cases: [{ on: 'active', allow: SEES.panel, body: () => ({}) }] },
  { route: 'GET /applications/:id/offer-letter', cases: [{ on: 'active', allow: SEES.panel }] },
  { route: 'GET /applications/:id/reports/:reportId', cases: [{ on: 'report', allow: SEES.panel }] },
  {
    route: 'POST /applications/:id/reports/:reportId',
    cases: [{ on: 'report', allow: ['owner'], body: (t) => ({ narrative: t.org!.reportSecret }) }],
  },
  {
    route: 'GET /files/:fileId',
    cases: [
      { on: 'draft-file', allow: SEES.draft, params: (t) => ({ fileId: t.org!.draftFileId }) },
      { on: 'grant-file', allow: SEES.panel, params: (t) => ({ fileId: t.org!.grantFileId }) },
    ],
  },

  // Portal: organisations.
  { route: 'GET /organisations/new', cases: [{ on: 'none', allow: ['signed-in'] }] },
  {
    route: 'POST /organisations',
    cases: [
      {
        on: 'none',
        allow: ['applicant'],
        body: () => ({}),
        deniedAlso: RERENDERS('"only applicants register organisations"'),
      },
    ],
  },
  // The page lists the members, which only members see: staff read an organisation through the API (and its edit form).
  { route: 'GET /organisations/:id', cases: [{ on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id }) }] },
  {
    route: 'GET /organisations/:id/edit',
    cases: [{ on: 'org', allow: ORGANISATION_READERS, params: (t) => ({ id: t.org!.id }) }],
  },
  {
    route: 'POST /organisations/:id',
    cases: [
      { on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id }), body: (t) => profileFields(t.org!.profile) },
    ],
  },
  {
    route: 'POST /organisations/:id/invitations',
    cases: [{ on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id }), body: () => ({ email: '' }) }],
  },

  {
    route: 'POST /organisations/:id/invitations/:invitationId/revoke',
    cases: [
      {
        on: 'org',
        allow: ['owner'],
        params: (t) => ({ id: t.org!.id, invitationId: t.org!.invitationIds.page }),
        body: () => ({}),
      },
    ],
  },
  {
    route: 'POST /organisations/:id/members/:userId/remove',
    cases: [{ on: 'org', allow: ['owner'], params: ownerOf, body: () => ({}) }],
  },
  {
    route: 'POST /organisations/:id/ownership',
    cases: [
      {
        on: 'org',
        allow: ['owner'],
        params: (t) => ({ id: t.org!.id }),
        body: (t, w) => ({ userId: ownerOf(t, w).userId }),
      },
    ],
  },
  {
    route: 'POST /organisations/:id/leave',
    cases: [{ on: 'org', allow: ['owner'], params: (t) => ({ id: t.org!.id }), body: () => ({}) }],
  },

  // Portal: administration (staff accounts, the security log), on the administrator's own account as above.
  { route: 'GET /admin/users', cases: [{ on: 'none', allow: ['admin'] }] },
  { route: 'GET /admin/users/new', cases: [{ on: 'none', allow: ['admin'] }] },
  { route: 'POST /admin/users', cases: [{ on: 'none', allow: ['admin'], body: () => ({}) }] },
  { route: 'GET /admin/users/:id', cases: [{ on: 'none', allow: ['admin'], params: ownAdmin }] },
  {
    route: 'POST /admin/users/:id',
    cases: [{ on: 'none', allow: ['admin'], params: ownAdmin, body: () => ({ role: 'admin' }) }],
  },
  {
    route: 'POST /admin/users/:id/disable',
    cases: [{ on: 'none', allow: ['admin'], params: ownAdmin, body: () => ({ reason: 'left_the_organisation' }) }],
  },
  {
    route: 'POST /admin/users/:id/enable',
    cases: [{ on: 'none', allow: ['admin'], params: ownAdmin, body: () => ({}) }],
  },
  {
    route: 'POST /admin/users/:id/second-factor/reset',
    cases: [{ on: 'none', allow: ['admin'], params: ownAdmin, body: () => ({}) }],
  },
  {
    route: 'GET /admin/security-events',
    cases: [{ on: 'none', allow: ['admin'], query: () => '?kind=user_disabled' }],
  },

  // Portal: the desk (officers, partner officers, the panel).
  { route: 'GET /desk/funds/:fundId', cases: [{ on: 'fund', allow: DESK, params: deskFund }] },
  { route: 'GET /desk/funds/:fundId/decisions', cases: [{ on: 'fund', allow: DESK, params: deskFund }] },
  {
    route: 'POST /desk/funds/:fundId/bulk',
    cases: [
      {
        on: 'screening',
        // The fund's desk answers its staff; an item someone declared a conflict in is refused on the page.
        allow: [...DESK, 'declarant'],
        params: (_t, w) => ({ fundId: w.fund1.id }),
        body: (t) => ({ ids: t.org!.screening.id, action: 'request-information', text: '' }),
      },
    ],
  },
  { route: 'GET /desk/funds/:fundId/payment-run.csv', cases: [{ on: 'fund', allow: FUND_MONEY, params: deskFund }] },
  { route: 'GET /desk/funds/:fundId/money', cases: [{ on: 'fund', allow: MONEY_REPORT, params: deskFund }] },
  ...['evidence', 'evaluation'].map((page): Rule => ({
    route: `GET /desk/funds/:fundId/${page}`,
    cases: [
      { on: 'fund', allow: EVIDENCE, params: deskFund },
      ...(page === 'evidence'
        ? [
            {
              on: 'area' as const,
              allow: ['officer', 'partner:area', 'funder', 'admin'] as Grant[],
              params: deskFund,
              query: (t: Target) => `?area=${t.area}`,
              label: 'one area',
            },
          ]
        : []),
    ],
  })),
  {
    route: 'GET /desk/applications/:id',
    cases: [
      { on: 'screening', allow: ['officer', 'partner:area'] },
      { on: 'active', allow: ['officer', 'partner:area', 'panel'] },
    ],
  },
  {
    route: 'POST /desk/applications/:id/actions/:action',
    // Blank text: the desk refuses it (400) before the machine, to whoever may open the application.
    cases: [
      {
        on: 'screening',
        allow: ['officer', 'partner:area'],
        params: action('request-information'),
        body: () => ({ text: '' }),
        label: 'request-information (blank)',
      },
      {
        on: 'active',
        allow: ['officer', 'partner:area', 'panel'],
        params: action('suspend'),
        body: () => ({ text: '' }),
        label: 'suspend (blank)',
      },
    ],
  },
  { route: 'GET /desk/applications/:id/assessment', cases: [{ on: 'screening', allow: ['officer', 'partner:area'] }] },
  {
    route: 'POST /desk/applications/:id/assessment',
    cases: [{ on: 'screening', allow: ['officer', 'partner:area'], body: () => ({}) }],
  },
  {
    route: 'POST /desk/applications/:id/assessment/countersign',
    cases: [{ on: 'screening', allow: ['officer', 'partner:area'], body: () => ({}) }],
  },
  {
    route: 'POST /desk/applications/:id/conflict-of-interest',
    cases: [{ on: 'active', allow: ['declarant'], body: () => ({ conflicted: 'no' }), last: 1 }],
  },
  {
    route: 'POST /desk/applications/:id/conditions/:conditionId',
    cases: [
      {
        on: 'condition',
        allow: ['officer', 'partner:area'],
        body: () => ({ outcome: 'met', note: 'Seen the rota' }),
        deniedAlso: RERENDERS('the panel sees "only grant officers sign off conditions"'),
      },
    ],
  },
  {
    route: 'POST /desk/applications/:id/notes',
    cases: [{ on: 'active', allow: ['officer', 'partner:area'], body: () => ({ body: '' }) }],
  },

  // The queue board: administrators only (every route of the board's scope, pages and JSON API).
  board('GET', ''),
  board('GET', '/'),
  board('GET', '/metrics-history'),
  board('GET', '/job-schedulers'),
  board('GET', '/queue/:queueName'),
  board('GET', '/queue/:queueName/:jobId'),
  board('GET', '/static/*'),
  board('GET', '/api/redis/stats'),
  board('GET', '/api/job-schedulers'),
  board('GET', '/api/queues'),
  board('PUT', '/api/queues/pause', {
    skip: { roles: ['admin'], why: 'it would pause every queue of the run, which the other suites share' },
  }),
  board('PUT', '/api/queues/resume'),
  ...['metrics', 'default-job-options', 'workers', 'rate-limit', 'job-data-schema'].map((sub) =>
    board('GET', `/api/queues/:queueName/${sub}`),
  ),
  ...[
    'rate-limit',
    'rate-limit/release',
    'retry/:queueStatus',
    'resume',
    'promote',
    'pause',
    'clean/:queueStatus',
    'concurrency',
    'empty',
    'obliterate',
  ].map((sub) => board('PUT', `/api/queues/:queueName/${sub}`)),
  board('POST', '/api/queues/:queueName/add'),
  board('PATCH', '/api/queues/:queueName/job-schedulers/:schedulerId'),
  board('PUT', '/api/queues/:queueName/job-schedulers/:schedulerId/remove'),
  board('PUT', '/api/queues/:queueName/job-schedulers/:schedulerId/run'),
  board('GET', '/api/queues/:queueName/:jobId'),
  ...['logs', 'flow'].map((sub) => board('GET', `/api/queues/:queueName/:jobId/${sub}`)),
  ...['retry', 'remove-unprocessed-children', 'clean', 'promote'].map((sub) =>
    board('PUT', `/api/queues/:queueName/:jobId/${sub}`),
  ),
  ...['priority', 'update-data', 'delay'].map((sub) => board('PATCH', `/api/queues/:queueName/:jobId/${sub}`)),
];

/** The administrator's own account. */
function ownAdmin(_t: Target, w: World) {
  return { id: w.users.admin.userId };
}

/** The organisation and its owner. */
function ownerOf(t: Target, w: World) {
  return { id: t.org!.id, userId: w.users[t.org!.owner as 'applicantA' | 'applicantB'].userId };
}

function action(name: string) {
  return (t: Target) => ({ id: t.app!, action: name });
}

function funderSuppressed({ role, json }: Check): string | null {
  return role === 'funder' && json?.figures && json.view !== 'suppressed'
    ? 'unsuppressed evidence for a funder viewer'
    : null;
}

/** Bulk actions answer 200 to anyone; each item must be refused, and as "not found" to whoever may not see it. */
function bulkItems({ role, t, json }: Check): string | null {
  const item = json?.items?.[0];
  if (!item) return null;
  if (item.ok) return 'a bulk action was carried out';
  const sees = grants(SEES.screening, role, t);
  // Someone who declared a conflict knows the application exists: they are told why they cannot act.
  const known = t.conflicted?.includes(role) && item.code === 'conflict_of_interest';
  return !sees && !known && item.code !== 'not_found'
    ? `a bulk item told someone who cannot see it "${item.code}"`
    : null;
}

function profileFields(p: Record<string, unknown>): Record<string, string | string[]> {
  return {
    name: String(p.name),
    legalForm: String(p.legalForm),
    registrationNumber: String(p.registrationNumber ?? ''),
    addressLine1: String(p.addressLine1),
    town: String(p.town),
    postcode: String(p.postcode),
    areaCode: String(p.areaCode),
    communitiesServed: p.communitiesServed as string[],
    languages: (p.languages as string[]).join(', '),
    ledByAndFor: p.ledByAndFor ? 'yes' : 'no',
    ledByAndForStatement: String(p.ledByAndForStatement ?? ''),
    safeguardingLeadName: String(p.safeguardingLeadName ?? ''),
    safeguardingLeadRole: String(p.safeguardingLeadRole ?? ''),
  };
}

// ---------------------------------------------------------------------------------------------
// Who passes, on what scope

const STAFF_OF_OUR_FUND: readonly RoleKey[] = ['officer', 'partnerA', 'partnerB', 'panel', 'funder', ...CONFLICTED];
const orgOfRole = (role: RoleKey): OrgKey | null =>
  role === 'applicantA' || role === 'partnerA' ? 'A' : role === 'applicantB' || role === 'partnerB' ? 'B' : null;

function grants(allow: readonly Grant[], role: RoleKey, t: Target): boolean {
  const targetOrg = t.of ?? null;
  // An account whose access was taken back has what anyone has, and nothing more.
  if (SHUT_OUT_ROLES.includes(role)) return allow.includes('public');
  return allow.some((g) => {
    switch (g) {
      case 'public':
        return true;
      case 'signed-in':
        return role !== 'anonymous';
      case 'applicant':
        return role === 'applicantA' || role === 'applicantB';
      case 'owner':
        return (role === 'applicantA' || role === 'applicantB') && orgOfRole(role) === targetOrg;
      case 'officer':
        return (role === 'officer' || (role === 'officerConflicted' && !t.conflicted?.includes(role))) && t.fund.ours;
      case 'partner':
        return (role === 'partnerA' || role === 'partnerB') && t.fund.ours;
      case 'partner:area':
        return (role === 'partnerA' || role === 'partnerB') && t.fund.ours && orgOfRole(role) === targetOrg;
      case 'panel':
        return (role === 'panel' || (role === 'panelConflicted' && !t.conflicted?.includes(role))) && t.fund.ours;
      case 'declarant':
        return (
          grants(['officer', 'partner:area', 'panel'], role, { ...t, conflicted: [] }) ||
          (CONFLICTED.includes(role) && t.fund.ours && t.of !== undefined)
        );
      case 'funder':
        return role === 'funder' && t.fund.ours;
      case 'admin':
        return role === 'admin';
    }
  });
}

function scopeOf(on: On, role: RoleKey, t: Target): string {
  if (on === 'none') return 'any';
  if (on === 'fund') return STAFF_OF_OUR_FUND.includes(role) ? (t.fund.ours ? 'own fund' : 'other fund') : 'any';
  const mine = orgOfRole(role);
  const theirs = t.of;
  if (role === 'applicantA' || role === 'applicantB')
    return on === 'area' ? 'any' : mine === theirs ? 'own organisation' : 'other organisation';
  if (role === 'partnerA' || role === 'partnerB') return mine === theirs ? 'own area' : 'other area';
  return 'any';
}

function targetsOf(on: On, w: World): Target[] {
  const ours = { id: w.fund1.id, slug: w.fund1.slug, ours: true };
  if (on === 'none') return [{ fund: ours }];
  if (on === 'fund') return [{ fund: ours }, { fund: { ...w.fund2, ours: false } }];
  if (on === 'area') return [w.orgs.A, w.orgs.B].map((org) => ({ fund: ours, area: org.areaCode, of: org.key }));
  const app = (o: OrgFixture) => (on === 'draft' || on === 'screening' || on === 'awaiting' ? o[on].id : o.active.id);
  // A's applications past draft: the conflicted officer declared on each, the panel member on those it sees.
  const conflicted = (o: OrgFixture): RoleKey[] =>
    o.key !== 'A' || on === 'org' || on === 'draft' || on === 'draft-file'
      ? []
      : on === 'screening'
        ? ['officerConflicted']
        : [...CONFLICTED];
  return [w.orgs.A, w.orgs.B].map((org) => ({
    fund: ours,
    org,
    of: org.key,
    app: app(org),
    conflicted: conflicted(org),
  }));
}

/** The path: the variant's parameters, else the target's application (and its report or condition). */
function pathOf(pattern: string, v: Variant, t: Target, w: World): string {
  const implied: Record<string, string> = t.org
    ? {
        id: t.app!,
        ...(v.on === 'report' ? { reportId: t.org.reportId } : {}),
        ...(v.on === 'condition' ? { conditionId: t.org.conditionId } : {}),
      }
    : {};
  return fill(pattern, { ...implied, ...(v.params?.(t, w) ?? {}) }) + (v.query?.(t, w) ?? '');
}

// ---------------------------------------------------------------------------------------------
// Sending

/** The JSON API (and its description) takes bearer tokens; pages and the queue board (pages and its JSON API) a session. */
type Via = 'api' | 'page' | 'board' | 'board-api';
const viaOf = (path: string): Via =>
  path.startsWith('/admin/queues/api/')
    ? 'board-api'
    : path.startsWith('/admin/queues')
      ? 'board'
      : path.startsWith('/api')
        ? 'api'
        : 'page';

interface Sent {
  status: number;
  location: string;
  body: string;
  /** Everything a reader gets: where it is sent, the download's file name and the body. */
  text: string;
}

/** The API with the role's bearer token (or, `sessionOnly`, with its portal session's cookie and no token); pages and the board with its session. */
async function send(
  w: World,
  role: RoleKey,
  method: string,
  path: string,
  v: Variant,
  t: Target,
  sessionOnly = false,
): Promise<Sent> {
  const via = viaOf(path.split('?')[0]);
  const body = v.body?.(t, w);
  let res: Response;
  if (via === 'api') {
    const token = role === 'anonymous' || sessionOnly ? null : w.users[role].token;
    const headers: Record<string, string> = {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(sessionOnly ? { cookie: w.sessions[role].cookie } : (v.headers ?? {})),
    };
    let payload: FormData | string | undefined;
    if (v.multipart) {
      const form = new FormData();
      form.set('questionId', 'project_name');
      form.set('file', new Blob([new Uint8Array(PDF)]), 'matrix.pdf');
      payload = form;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    res = await fetch(w.s.baseUrl + path, { method, headers, body: payload, redirect: 'manual' });
  } else if (via === 'page') {
    const s = w.sessions[role];
    res =
      method === 'POST'
        ? await s.post(path, (body ?? {}) as Record<string, string>, v.headers)
        : await s.fetch(path, { method, headers: v.headers });
  } else {
    const headers: Record<string, string> = { origin: w.s.baseUrl, 'sec-fetch-site': 'same-origin' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    res = await w.sessions[role].fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  const text = await res.text();
  const location = res.headers.get('location') ?? '';
  return {
    status: res.status,
    location,
    body: text,
    text: `${location}\n${res.headers.get('content-disposition') ?? ''}\n${text}`,
  };
}

function fill(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z0-9_]+)|\*/g, (m, name: string | undefined) => {
    const value = params[name ?? '*'];
    if (value === undefined) throw new Error(`no value for ${m} in ${pattern}`);
    return encodeURIComponent(value).replace(/%2F/g, '/');
  });
}

// ---------------------------------------------------------------------------------------------
// Judging

interface Outcome {
  route: string;
  label: string;
  role: RoleKey;
  scope: string;
  allowed: boolean;
  status: number;
  verdict: 'ok' | 'leak' | 'unexpected';
  detail: string;
}

function judge(w: World, rule: Rule, v: Variant, role: RoleKey, t: Target, sent: Sent, path: string): Outcome {
  const allowed = grants(v.allow, role, t);
  const via = viaOf(path.split('?')[0]);
  const base = {
    route: rule.route,
    label:
      v.label ??
      (t.org
        ? `${v.on} of ${t.org.key}`
        : t.area
          ? `area ${t.area}`
          : v.on === 'fund'
            ? t.fund.ours
              ? 'our fund'
              : 'other fund'
            : ''),
    role,
    scope: scopeOf(v.on, role, t),
    allowed,
    status: sent.status,
  };
  const seen = w.markers.filter((m) => !m.readers.includes(role) && sent.text.includes(m.text)).map((m) => m.what);
  let json: any = null;
  try {
    json = JSON.parse(sent.body);
  } catch {
    /* not JSON */
  }
  const extra = v.check?.({ role, allowed, t, w, status: sent.status, json });
  if (seen.length > 0 || extra)
    return { ...base, verdict: 'leak', detail: [...seen, ...(extra ? [extra] : [])].join('; ') };
  const s = sent.status;
  const toSignIn = s >= 300 && s < 400 && sent.location.startsWith('/sign-in');
  if (allowed) {
    const passed =
      (s >= 200 && s < 300) ||
      (s >= 300 && s < 400 && !toSignIn) ||
      (s >= 400 && s < 500 && ![401, 403, 404].includes(s)) ||
      s === v.allowedAlso?.status;
    return {
      ...base,
      verdict: passed ? 'ok' : 'unexpected',
      detail: passed ? '' : `an allowed caller got ${s}${toSignIn ? ' (to sign in)' : ''}`,
    };
  }
  if ((s >= 200 && s < 300) || (s >= 300 && s < 400 && !toSignIn))
    return {
      ...base,
      verdict: 'leak',
      detail: `a refused caller got ${s}${sent.location ? ` → ${sent.location}` : ''}`,
    };
  // An account whose access was taken back is refused as if no one were signed in: 401 from the
  // API, sign-in from a page.
  const refusedAs =
    role === 'anonymous' || SHUT_OUT_ROLES.includes(role)
      ? via === 'api' || via === 'board-api'
        ? [401]
        : [303]
      : [403, 404, ...(v.deniedAlso ? [v.deniedAlso.status] : [])];
  const ok = refusedAs.includes(s) && (s !== 303 || toSignIn);
  return {
    ...base,
    verdict: ok ? 'ok' : 'unexpected',
    detail: ok ? '' : `a refused caller got ${s}, expected ${refusedAs.join('/')}`,
  };
}

// ---------------------------------------------------------------------------------------------

jest.setTimeout(360_000);

describe('the authorisation matrix', () => {
  let w: World;
  let live: LiveRoute[];

  beforeAll(async () => {
    w = await buildWorld();
    live = liveRoutes(w.s.api);
  }, 360_000);

  afterAll(async () => {
    await w?.s.stop();
  });

  it('classifies every route the API answers, and names none it does not', () => {
    const key = (r: LiveRoute) => `${r.method} ${r.path}`;
    const classified = new Set(POLICY.map((r) => r.route));
    const unclassified = live.map(key).filter((k) => !classified.has(k));
    const missing = POLICY.map((r) => r.route).filter((k) => {
      const [method, path] = k.split(' ');
      return !live.some((r) => key(r) === k) || !hasLiveRoute(w.s.api, method, path);
    });
    const twice = POLICY.map((r) => r.route).filter((k, i, all) => all.indexOf(k) !== i);
    expect({ unclassified, missing, twice }).toEqual({ unclassified: [], missing: [], twice: [] });
    expect(live.length).toBeGreaterThan(100);
  });

  it('lets each role use only what it may, on its own scope, and leaks nothing', async () => {
    const started = Date.now();
    type Job = { rule: Rule; v: Variant; t: Target; role: RoleKey; method: string; path: string };
    const jobs: Job[] = [];
    for (const rule of POLICY) {
      const [method, pattern] = rule.route.split(' ');
      for (const v of rule.cases) {
        for (const t of targetsOf(v.on, w)) {
          const path = pathOf(pattern, v, t, w);
          for (const role of ROLES) if (!v.skip?.roles.includes(role)) jobs.push({ rule, v, t, role, method, path });
        }
      }
    }
    const outcomes: Outcome[] = [];
    const readBy = new Set<string>();
    const run = async (batch: Job[]) => {
      // One lane per role, in the table's order (a session's requests never overlap).
      await Promise.all(
        ROLES.map(async (role) => {
          for (const j of batch.filter((x) => x.role === role)) {
            const sent = await send(w, role, j.method, j.path, j.v, j.t);
            outcomes.push(judge(w, j.rule, j.v, role, j.t, sent, j.path));
            for (const m of w.markers) if (m.readers.includes(role) && sent.text.includes(m.text)) readBy.add(m.text);
          }
        }),
      );
    };

    // The JSON API takes bearer tokens only: a portal session alone is not signed in there.
    const sessionOnly: string[] = [];
    let sessionChecks = 0;
    for (const rule of POLICY) {
      const [method, pattern] = rule.route.split(' ');
      const v = rule.cases[0];
      if (viaOf(pattern) !== 'api' || v.allow.includes('public')) continue;
      const t = targetsOf(v.on, w)[0];
      const sent = await send(w, 'officer', method, pathOf(pattern, v, t, w), v, t, true);
      sessionChecks++;
      if (sent.status !== 401) sessionOnly.push(`${rule.route}: ${sent.status}`);
    }

    await run(jobs.filter((j) => !j.v.last));
    await run(jobs.filter((j) => j.v.last === 1));
    await run(jobs.filter((j) => j.v.last === 2));
    if (process.env.AUTHZ_MATRIX_OUT) writeFileSync(process.env.AUTHZ_MATRIX_OUT, JSON.stringify(outcomes, null, 1));

    const combos = new Set(outcomes.map((o) => `${o.route}|${o.role}|${o.scope}`));
    // The markers are real: each was read by someone allowed to (else the leak check would prove nothing).
    const unread = w.markers.filter((m) => !readBy.has(m.text)).map((m) => m.what);
    const leaks = outcomes.filter((o) => o.verdict === 'leak');
    const unexpected = outcomes.filter((o) => o.verdict === 'unexpected');
    const line = (o: Outcome) =>
      `${o.route} [${o.label}] as ${o.role} (${o.scope}, ${o.allowed ? 'allowed' : 'refused'}): ${o.status} ${o.detail}`;
    console.log(
      [
        `authorisation matrix: ${live.length} routes × ${ROLES.length} roles × their scopes = ${combos.size} combinations, ${outcomes.length} requests ` +
          `(+${sessionChecks} session-only API checks) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `leaks: ${leaks.length}; unexpected statuses: ${unexpected.length}; API routes answering a session without a token: ${sessionOnly.length}`,
        ...leaks.map((o) => `LEAK ${line(o)}`),
        ...unexpected.map((o) => `UNEXPECTED ${line(o)}`),
        ...sessionOnly.map((x) => `SESSION ${x}`),
      ].join('\n'),
    );
    expect(unread).toEqual([]);
    expect(leaks.map(line)).toEqual([]);
    expect(unexpected.map(line)).toEqual([]);
    expect(sessionOnly).toEqual([]);
  });
});
