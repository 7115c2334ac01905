import { randomBytes } from 'node:crypto';
import { Accounts } from '../../libs/identity/src/accounts';
import { revokeAllAccessOf } from '../../libs/identity/src/access-revocation';
import { awaitingDecision, createFund, declareNoConflict, SIGNED, TestFund } from './funds';
import { completeAnswers, organisationProfile, rubricScores } from './pilot';
import { TestStack, TestUser } from './stack';

/**
 * The people and records the authorisation matrix (test/integration/authorization-matrix.test.ts)
 * runs against: two organisations in two areas of one fund, each with a draft, an application in
 * screening, one awaiting the panel's decision and an active grant (file, report, payment,
 * condition, internal note); a second fund run by another VDA with an application of its own; one
 * person per role, each with an API token and a signed-in portal session.
 */

export const ROLES = [
  'anonymous',
  'applicantA',
  'applicantB',
  'officer',
  'partnerA',
  'partnerB',
  'panel',
  'funder',
  'admin',
  'disabledApplicant',
  'disabledOfficer',
  'disabledPartner',
  'disabledPanel',
  'disabledFunder',
  'disabledAdmin',
  'officerConflicted',
  'panelConflicted',
  'revokedOfficer',
  'expiredAdmin',
] as const;
/**
 * `partnerA` is the partner VDA's officer for organisation A's area (Hartlepool), `partnerB` for
 * organisation B's (Middlesbrough); `officer` and `panel` belong to the managing VDA, `funder` to
 * the fund's funder. The `disabled…` roles are accounts that would have the access of their
 * counterparts (a member of organisation A, staff of the fund and of area A, an administrator),
 * signed in with a session and a token before an administrator disabled them: they must get
 * nothing but what anyone may.
 * `officerConflicted` and `panelConflicted` are another officer and panel member
 * of the managing VDA who declared a conflict of interest in organisation A's applications (past
 * draft): they see those exist, and nothing they hold; B's they read as `officer` and `panel` do.
 * `revokedOfficer` signed out everywhere (every session ended, every token revoked) and
 * `expiredAdmin`'s token expired and session passed its 12-hour lifetime: like the disabled
 * accounts, they hold an old token and session cookie and must get nothing but what anyone may.
 */
export const CONFLICTED: readonly RoleKey[] = ['officerConflicted', 'panelConflicted'];
export type RoleKey = (typeof ROLES)[number];
export type OrgKey = 'A' | 'B';

export interface AppFixture {
  id: string;
  reference: string;
}

export const DISABLED_ROLES: readonly RoleKey[] = ROLES.filter((r) => r.startsWith('disabled'));
/** Everyone whose access was taken back: disabled, signed out everywhere, or expired. */
export const SHUT_OUT_ROLES: readonly RoleKey[] = [...DISABLED_ROLES, 'revokedOfficer', 'expiredAdmin'];

export interface OrgFixture {
  key: OrgKey;
  id: string;
  name: string;
  areaCode: string;
  /** The profile as registered (PUT with it changes nothing). */
  profile: Record<string, unknown>;
  owner: RoleKey;
  /** The partner officer whose area this is. */
  partner: RoleKey;
  draft: AppFixture;
  screening: AppFixture;
  awaiting: AppFixture;
  active: AppFixture;
  draftFileId: string;
  grantFileId: string;
  reportId: string;
  conditionId: string;
  paymentId: string;
  reportSecret: string;
  /** Open invitations the owner may revoke: one through the API, one through the page. */
  invitationIds: { api: string; page: string };
}

/** A string that may appear only in responses to `readers`: anyone else seeing it is a leak. */
export interface Marker {
  text: string;
  what: string;
  readers: readonly RoleKey[];
}

export interface World {
  s: TestStack;
  fund1: TestFund & { slug: string };
  fund2: { id: string; slug: string };
  users: Record<Exclude<RoleKey, 'anonymous'>, TestUser>;
  orgs: Record<OrgKey, OrgFixture>;
  sessions: Record<RoleKey, PageSession>;
  markers: Marker[];
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PASSWORD = 'authorisation matrix passphrase';

/** A browser on the portal over plain HTTP: the session cookie and a CSRF token of that session. */
export class PageSession {
  cookie = '';
  csrf = '';
  constructor(private readonly s: TestStack) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(this.s.baseUrl + path, {
      ...init,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(init.headers as Record<string, string>) },
      redirect: 'manual',
    });
    const m = /sg_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '');
    if (m) {
      // A new session (signing out everywhere regenerates it) has a CSRF secret of its own.
      if (this.cookie && m[0] !== this.cookie) this.csrf = '';
      this.cookie = m[0];
    }
    return res;
  }

  /** Opens a page and keeps its CSRF token (one token serves the whole session). */
  async open(path: string): Promise<string> {
    const html = await (await this.fetch(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path}: ${html.slice(0, 300)}`);
    this.csrf = token;
    return html;
  }

  async post(
    path: string,
    form: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    if (!this.csrf) await this.open('/sign-in'); // as a browser would, from a page of the new session
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    body.append('_csrf', this.csrf);
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: body.toString(),
    });
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.open('/sign-in');
    const res = await this.post('/sign-in', { email, password });
    if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`);
    await this.open('/account');
  }
}

export async function buildWorld(): Promise<World> {
  const s = await TestStack.start({ worker: false });
  const ok = async <T = any>(
    what: string,
    p: Promise<{ status: number; body: T }>,
    status = [200, 201],
  ): Promise<T> => {
    const r = await p;
    if (!status.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const fund1 = await createFund(s);
  const d = fund1.definition;
  const elsewhere = `elsewhere-${s.suffix}`;
  const fund2 = await createFund(s, {
    managingOrganisation: { slug: `${elsewhere}-vda`, name: `Elsewhere VDA ${s.suffix}`, areas: ['E06000004'] },
    partners: [
      { slug: `${elsewhere}-partner`, name: `Elsewhere Partner ${s.suffix}`, areas: ['E06000001', 'E06000002'] },
    ],
    funder: { slug: `${elsewhere}-funder`, name: `Elsewhere Funder ${s.suffix}` },
  });
  const users = {
    applicantA: await s.user('applicant'),
    applicantB: await s.user('applicant'),
    officer: fund1.officer,
    partnerA: await s.user('partner_officer', d.partners[0].slug), // Hartlepool VDA: E06000001
    partnerB: await s.user('partner_officer', d.partners[1].slug), // Middlesbrough VDA: E06000002
    panel: fund1.panel,
    funder: await s.user('funder_viewer', d.funder.slug),
    admin: await s.user('admin'),
    disabledApplicant: await s.user('applicant'),
    disabledOfficer: await s.user('officer', d.managingOrganisation.slug),
    disabledPartner: await s.user('partner_officer', d.partners[0].slug),
    disabledPanel: await s.user('panel_member', d.managingOrganisation.slug),
    disabledFunder: await s.user('funder_viewer', d.funder.slug),
    disabledAdmin: await s.user('admin'),
    revokedOfficer: await s.user('officer', d.managingOrganisation.slug),
    expiredAdmin: await s.user('admin'),
    officerConflicted: await s.user('officer', d.managingOrganisation.slug),
    panelConflicted: await s.user('panel_member', d.managingOrganisation.slug),
  };
  const markers: Marker[] = [];
  const secret = (org: OrgKey, what: string) =>
    `sgsecret-${org.toLowerCase()}-${what}-${randomBytes(4).toString('hex')}`;

  const upload = async (token: string, appId: string, name: string): Promise<{ id: string; name: string }> => {
    const form = new FormData();
    form.set('questionId', 'safeguarding_policy');
    form.set('file', new Blob([new Uint8Array(PDF)]), name);
    const res = await fetch(`${s.baseUrl}/api/v1/applications/${appId}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; name: string };
  };

  const buildOrg = async (
    key: OrgKey,
    owner: 'applicantA' | 'applicantB',
    partner: 'partnerA' | 'partnerB',
    areaCode: string,
    town: string,
    postcode: string,
  ): Promise<OrgFixture> => {
    const applicant = users[owner];
    const as = (u: TestUser, method: string, path: string, body?: unknown) => s.request(method, path, u.token, body);
    const name = `Matrix ${key} Circle ${s.suffix}`;
    const profile = organisationProfile({
      name,
      registrationNumber: '',
      legalForm: 'other',
      areaCode,
      town,
      postcode,
      addressLine1: `${key === 'A' ? 1 : 2} Refuge Road`,
    });
    const orgId = (await ok(`organisation ${key}`, as(applicant, 'POST', '/api/v1/organisations', profile)))
      .id as string;
    const start = async (what: string, answers: Record<string, unknown>) => {
      const text = secret(key, what);
      const app = await ok(
        `${what} ${key}`,
        as(applicant, 'POST', '/api/v1/applications', {
          fundId: fund1.id,
          organisationId: orgId,
          answers: { ...answers, project_name: text, project_summary: text },
        }),
      );
      return { id: app.id as string, reference: app.reference as string, secret: text };
    };
    const act = (u: TestUser, id: string, action: string, body: Record<string, unknown> = {}) =>
      ok(`${action} ${key}`, as(u, 'POST', `/api/v1/applications/${id}/actions/${action}`, body));
    // Those who judge declare first; the conflicted ones declare on A's, and the rest on B's.
    const declare = async (id: string, judge: TestUser, conflictedToo: readonly TestUser[]) => {
      await declareNoConflict(s, judge, id);
      for (const u of conflictedToo)
        await ok(
          `declaration ${key}`,
          as(u, 'PUT', `/api/v1/applications/${id}/conflict-of-interest`, { conflicted: key === 'A' }),
        );
    };
    const toAwaiting = async (id: string) => {
      await act(applicant, id, 'submit');
      await declare(id, users.officer, [users.officerConflicted]);
      await act(users.officer, id, 'start-screening');
      await act(users.officer, id, 'confirm-eligible');
      await ok(
        `assessment ${key}`,
        as(users.officer, 'PUT', `/api/v1/applications/${id}/assessment`, { scores: rubricScores() }),
      );
      await act(users.officer, id, 'complete-assessment');
      await declare(id, users.panel, [users.panelConflicted]);
    };

    const draft = await start('draft', { has_safeguarding_policy: true });
    const draftFile = await upload(applicant.token, draft.id, `policy ${secret(key, 'draftfile')}.pdf`);
    const screening = await start('screening', completeAnswers());
    await act(applicant, screening.id, 'submit');
    await declare(screening.id, users.officer, [users.officerConflicted]);
    await act(users.officer, screening.id, 'start-screening');
    const awaiting = await start('awaiting', completeAnswers());
    await toAwaiting(awaiting.id);
    const active = await start('grant', completeAnswers({ has_safeguarding_policy: true }));
    const grantFile = await upload(applicant.token, active.id, `policy ${secret(key, 'grantfile')}.pdf`);
    await toAwaiting(active.id);
    const conditionText = `Share the volunteer rota (${secret(key, 'condition')})`;
    await act(users.panel, active.id, 'approve', {
      amountPence: 400_000,
      conditionDetails: [{ text: conditionText, blocks: 'nothing' }],
    });
    await act(applicant, active.id, 'accept-offer', SIGNED);
    const view = await ok(`grant ${key}`, as(users.officer, 'GET', `/api/v1/applications/${active.id}`));
    if (view.state !== 'active') throw new Error(`grant ${key} is ${view.state}`);
    const paymentId = view.payments[0].id as string;
    await act(users.officer, active.id, 'release-payment', { paymentId, reference: `BACS-${key}` });
    const reportId = (view.reports as { id: string; kind: string }[]).find((r) => r.kind === 'interim')!.id;
    const reportSecret = secret(key, 'report');
    await ok(
      `report ${key}`,
      as(applicant, 'PUT', `/api/v1/applications/${active.id}/reports/${reportId}`, {
        answers: { narrative: reportSecret },
      }),
    );
    const noteSecret = secret(key, 'note');
    await ok(`note ${key}`, as(users.officer, 'POST', `/api/v1/applications/${active.id}/notes`, { body: noteSecret }));
    const invitation = async (n: number) =>
      (
        await ok(
          `invitation ${key}`,
          as(applicant, 'POST', `/api/v1/organisations/${orgId}/invitations`, {
            email: `revocable-${n}-${key.toLowerCase()}-${s.suffix}@matrix.example`,
          }),
        )
      ).id as string;
    const invitationIds = { api: await invitation(1), page: await invitation(2) };
    const conditions = await ok(
      `conditions ${key}`,
      as(users.officer, 'GET', `/api/v1/applications/${active.id}/conditions`),
    );

    const applicantOnly: RoleKey[] = [owner];
    // What an application holds: not for those who declared a conflict in it (A's), who see it exists.
    const officerLike: RoleKey[] = key === 'B' ? ['officerConflicted'] : [];
    const panelLike: RoleKey[] = key === 'B' ? ['panelConflicted'] : [];
    const applicationReaders: RoleKey[] = [owner, 'officer', partner, ...officerLike];
    const panelReaders: RoleKey[] = [...applicationReaders, 'panel', ...panelLike];
    markers.push(
      // Members, the fund's officers and panel (desk, money report) and administrators (money report, exports).
      {
        text: name,
        what: `organisation ${key}'s name`,
        readers: [owner, 'officer', partner, 'panel', 'admin', ...CONFLICTED],
      },
      { text: draft.reference, what: `${key}'s draft's reference`, readers: applicantOnly },
      { text: draft.secret, what: `${key}'s draft's answers`, readers: applicantOnly },
      { text: draftFile.name, what: `${key}'s draft's file name`, readers: applicantOnly },
      {
        text: screening.reference,
        what: `${key}'s screening application's reference`,
        readers: [...applicationReaders, 'admin', ...CONFLICTED],
      },
      { text: screening.secret, what: `${key}'s screening application's answers`, readers: applicationReaders },
      {
        text: awaiting.reference,
        what: `${key}'s awaiting application's reference`,
        readers: [...panelReaders, 'admin', ...CONFLICTED],
      },
      { text: awaiting.secret, what: `${key}'s awaiting application's answers`, readers: panelReaders },
      {
        text: active.reference,
        what: `${key}'s grant's reference`,
        readers: [...panelReaders, 'admin', ...CONFLICTED],
      },
      { text: active.secret, what: `${key}'s grant's answers`, readers: panelReaders },
      { text: grantFile.name, what: `${key}'s grant's file name`, readers: panelReaders },
      { text: reportSecret, what: `${key}'s report's narrative`, readers: panelReaders },
      { text: conditionText, what: `${key}'s grant's condition`, readers: panelReaders },
      {
        text: noteSecret,
        what: `${key}'s internal note`,
        readers: ['officer', partner, 'panel', ...officerLike, ...panelLike],
      },
    );
    return {
      key,
      id: orgId,
      name,
      areaCode,
      profile,
      owner,
      partner,
      draft,
      screening,
      awaiting,
      active,
      draftFileId: draftFile.id,
      grantFileId: grantFile.id,
      reportId,
      conditionId: (conditions.items as { id: string }[])[0].id,
      paymentId,
      reportSecret,
      invitationIds,
    };
  };

  const orgs = {
    A: await buildOrg('A', 'applicantA', 'partnerA', 'E06000001', 'Hartlepool', 'TS24 7AA'),
    B: await buildOrg('B', 'applicantB', 'partnerB', 'E06000002', 'Middlesbrough', 'TS1 2AA'),
  };

  // Another fund, another VDA: its application is nobody's here but an administrator's.
  const [elsewhereApp] = await awaitingDecision(s, fund2.id, await s.user('applicant'), [{ amountPence: 100_000 }]);
  const [c] = await s.ds.query(
    'SELECT a.reference, o.name FROM applications a JOIN organisations o ON o.id = a.organisation_id WHERE a.id = $1',
    [elsewhereApp.id],
  );
  markers.push(
    { text: c.name, what: 'the other fund’s organisation', readers: ['admin'] },
    { text: c.reference, what: 'the other fund’s application', readers: ['admin'] },
  );

  const sessions = { anonymous: new PageSession(s) } as Record<RoleKey, PageSession>;
  await sessions.anonymous.open('/sign-in');
  const accounts = s.api.get(Accounts);
  for (const [role, u] of Object.entries(users) as [Exclude<RoleKey, 'anonymous'>, TestUser][]) {
    await accounts.setVerifiedPassword(u.userId, PASSWORD);
    sessions[role] = new PageSession(s);
    await sessions[role].signIn(u.email, PASSWORD);
  }

  // The disabled applicant belongs to organisation A. Every disabled account keeps its open session
  // and its token: the refusal must come from looking the account up, not from anything deleted.
  await s.ds.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [
    orgs.A.id,
    users.disabledApplicant.userId,
  ]);
  await s.ds.query(
    `UPDATE users SET disabled_at = now(), disabled_reason = 'left_the_organisation' WHERE id = ANY($1)`,
    [DISABLED_ROLES.map((r) => users[r as Exclude<RoleKey, 'anonymous'>].userId)],
  );
  await s.ds.transaction((m) => revokeAllAccessOf(m, users.revokedOfficer.userId, 'signed_out_everywhere'));
  await s.ds.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
    users.expiredAdmin.userId,
  ]);
  await s.ds.query(
    `UPDATE sessions SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json WHERE sess->>'userId' = $1`,
    [users.expiredAdmin.userId, Date.now() - 12 * 60 * 60 * 1000 - 1000],
  );

  return {
    s,
    fund1: { ...fund1, slug: d.slug },
    fund2: { id: fund2.id, slug: fund2.definition.slug },
    users,
    orgs,
    sessions,
    markers,
  };
}
