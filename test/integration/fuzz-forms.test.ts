import fc from 'fast-check';
import { BULK_ACTIONS } from '../../libs/applications/src/bulk/bulk-transitions.use-case';
import { ETHNIC_GROUPS, LEGAL_FORMS, OUTCOMES, RISK_TIERS } from '../../libs/domain/src';
import { Accounts } from '../../libs/identity/src/accounts';
import { changedTables, fingerprint, Fingerprint } from '../support/fingerprint';
import { formPost, FormPost, inputNames, urlencoded } from '../support/fuzz';
import { applicationForm, FuzzWorld, fuzzWorld, reportForm } from '../support/fuzz-world';
import { rubricScores } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

/**
 * Property-based form posts to the portal: every page form, with its real field names and option
 * values mixed with random names and values, very long values, control characters and repeated
 * fields, from a signed-in session with a valid CSRF token (now and then a missing or wrong one),
 * plus bodies that are not a form at all. No 5xx; nothing changes on any 4xx; a form refused with
 * 400 or 422 shows the error summary.
 */
jest.setTimeout(180_000);

const SEED = 20_270_301;
const RUNS = { form: 55, malformed: 6 };
const PASSWORD = 'fuzzing the portal forms';

type Who = 'anonymous' | 'applicant' | 'officer' | 'panel';

interface FormSpec {
  name: string;
  who: Who;
  /** Paths to post to (one is picked per post). */
  paths: string[];
  /** The form's own input names, and values that mean something to it (options, ids). */
  names: string[];
  values?: string[];
  runs?: number;
  /** The page may answer 400 with a notice banner rather than an error summary (the desk's bulk form). */
  banner?: boolean;
}

/** A browser session on the portal over plain HTTP: its cookie and its CSRF token. */
class PageSession {
  cookie = '';
  csrf = '';
  constructor(private readonly s: TestStack) {}

  async fetch(
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; html: string; location: string | null }> {
    const res = await fetch(this.s.baseUrl + path, {
      ...init,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(init.headers as Record<string, string>) },
      redirect: 'manual',
    });
    const m = /sg_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '');
    if (m) this.cookie = m[0];
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  async token(from: string): Promise<void> {
    const page = await this.fetch(from);
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    if (!this.csrf) throw new Error(`no CSRF token on ${from} (${page.status})`);
  }

  async signIn(u: TestUser): Promise<void> {
    await this.token('/sign-in');
    const r = await this.fetch('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: urlencoded([
        ['email', u.email],
        ['password', PASSWORD],
        ['_csrf', this.csrf],
      ]),
    });
    if (r.status !== 303) throw new Error(`sign-in ${r.status}`);
    // The session id (and so the CSRF secret) is new after signing in.
    await this.token('/account');
  }
}

interface Post {
  form: string;
  who: Who;
  kind: 'form' | 'malformed';
  path: string;
  /** Built at send time, when the session's token is known. */
  body: (csrf: string) => string | Buffer;
  contentType: string;
  csrfOk: boolean;
  /** Holds a NUL character: refused before any form sees it, with the plain error page. */
  unstorable: boolean;
  forwardedFor: string;
  banner: boolean;
}

describe('fuzzing the portal’s forms', () => {
  let s: TestStack;
  let w: FuzzWorld;
  const sessions = {} as Record<Who, PageSession>;

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
    w = await fuzzWorld(s);
    const accounts = s.api.get(Accounts);
    const signedIn = async (u: TestUser) => {
      await accounts.setVerifiedPassword(u.userId, PASSWORD);
      const p = new PageSession(s);
      await p.signIn(u);
      return p;
    };
    sessions.applicant = await signedIn(w.applicant);
    sessions.officer = await signedIn(w.fund.officer);
    sessions.panel = await signedIn(w.fund.panel);
    sessions.anonymous = new PageSession(s);
    await sessions.anonymous.token('/sign-in');
  });

  afterAll(async () => {
    await s?.stop();
  });

  const specs = (): FormSpec[] => {
    const { apps, fund } = w;
    const marker = `fuzz-${s.suffix}`;
    const emails = [
      `someone@${marker}.example`,
      `new.person+1@${marker}.example`,
      w.applicant.email,
      'not-an-email',
      'a@b',
      '',
    ];
    const uuids = ['00000000-0000-0000-0000-000000000000', 'not-a-uuid'];
    const areas = ['E06000001', 'E06000002', 'E06000003', 'E06000004'];
    const rubric = Object.keys(rubricScores());
    const org = [
      'name',
      'legalForm',
      'registrationNumber',
      'addressLine1',
      'addressLine2',
      'town',
      'postcode',
      'areaCode',
      'communitiesServed',
      'communitiesOther',
      'languages',
      'ledByAndFor',
      'ledByAndForStatement',
      'safeguardingLeadName',
      'safeguardingLeadRole',
    ];
    const orgValues = [
      ...LEGAL_FORMS,
      ...areas,
      ...ETHNIC_GROUPS.slice(0, 8).map((g) => g.value),
      'yes',
      'no',
      'TS18 1AA',
      '1190001',
      `Fuzz Circle ${s.suffix}`,
      'Urdu, Punjabi',
    ];
    const options = (qs: (typeof applicationForm.sections)[number]['questions']) =>
      qs.flatMap((q) => [...(q.options ?? []).map((o) => o.value), ...(q.type === 'yes_no' ? ['yes', 'no'] : [])]);
    const desk = (action: string, ids: string[]) => ids.map((id) => `/desk/applications/${id}/actions/${action}`);
    return [
      {
        name: 'sign-in',
        who: 'anonymous',
        paths: ['/sign-in', '/sign-in?next=/account', '/sign-in?next=//evil.example'],
        names: ['email', 'password'],
        values: [`x@${marker}.example`, 'wrong password'],
      },
      {
        name: 'register',
        who: 'anonymous',
        paths: ['/register'],
        names: ['email', 'displayName', 'password'],
        values: [...emails.slice(0, 2), 'Amina', 'correct horse battery staple 42', 'short'],
      },
      {
        name: 'forgot-password',
        who: 'anonymous',
        paths: ['/forgot-password'],
        names: ['email'],
        values: emails,
        runs: 25,
      },
      {
        name: 'resend-verification',
        who: 'anonymous',
        paths: ['/resend-verification'],
        names: ['email'],
        values: emails,
        runs: 20,
      },
      {
        name: 'reset-password',
        who: 'anonymous',
        paths: ['/reset-password/not-a-token', '/reset-password/' + 'x'.repeat(43)],
        names: ['password'],
        runs: 15,
      },
      { name: 'organisation (new)', who: 'applicant', paths: ['/organisations'], names: org, values: orgValues },
      {
        name: 'organisation (edit)',
        who: 'applicant',
        paths: [
          ...w.orgs.slice(0, 3).map((id) => `/organisations/${id}`),
          ...uuids.map((id) => `/organisations/${id}`),
        ],
        names: org,
        values: orgValues,
      },
      {
        name: 'invite a member',
        who: 'applicant',
        paths: w.orgs.slice(0, 2).map((id) => `/organisations/${id}/invitations`),
        names: ['email'],
        values: emails,
        runs: 25,
      },
      {
        name: 'start an application',
        who: 'applicant',
        paths: [`/funds/${fund.definition.slug}/applications`, '/funds/no-such-fund/applications'],
        names: ['organisationId'],
        values: [...w.orgs, ...uuids],
        runs: 30,
      },
      ...applicationForm.sections.map((section): FormSpec => ({
        name: `application section ${section.id}`,
        who: 'applicant',
        paths: [apps.draft, apps.draft2].map((id) => `/applications/${id}/sections/${section.id}`),
        names: [...section.questions.flatMap(inputNames), 'next'],
        values: [...options(section.questions), 'later', '2027', '3', '1250.50'],
        runs: 60,
      })),
      {
        name: 'submit (declaration)',
        who: 'applicant',
        paths: [`/applications/${apps.draft}/submit`, `/applications/${apps.submitted}/submit`],
        names: ['declaration'],
        values: ['agreed'],
        runs: 20,
      },
      {
        name: 'provide information',
        who: 'applicant',
        paths: [`/applications/${apps.informationRequested}/information`, `/applications/${apps.draft}/information`],
        names: ['message'],
        runs: 25,
      },
      {
        name: 'offer (accept or decline)',
        who: 'applicant',
        paths: [apps.offered, apps.offered2].map((id) => `/applications/${id}/offer`),
        names: ['decision', 'signatoryName', 'signatoryRole', 'acceptsTerms', 'declineReason'],
        values: ['accept', 'decline', 'yes', 'Amina Khan', 'Chair'],
      },
      {
        name: 'monitoring report',
        who: 'applicant',
        paths: w.reports.map(
          (r, i) => `/applications/${i < w.reports.length / 2 ? apps.conditional : apps.active}/reports/${r}`,
        ),
        names: [...reportForm.sections.flatMap((sec) => sec.questions.flatMap(inputNames)), 'intent', 'declaration'],
        values: ['submit', 'save', 'agreed', '0', '12', '4500', '45.00'],
        runs: 60,
      },
      {
        name: 'desk action',
        who: 'officer',
        paths: [
          ...desk('start-screening', [apps.submitted]),
          ...desk('mark-ineligible', [apps.submitted, apps.screening]),
          ...desk('request-information', [apps.screening]),
          ...desk('confirm-eligible', [apps.screening]),
          ...desk('complete-assessment', [apps.assessing]),
          ...desk('release-payment', [apps.active, apps.conditional]),
          ...desk('suspend', [apps.active]),
          ...desk('terminate', [apps.active]),
          ...desk('record-return', [apps.active]),
          ...desk('accept-report', [apps.active]),
          ...desk('return-report', [apps.active]),
          ...desk('no-such-action', [apps.active]),
        ],
        names: ['text', 'amount', 'paymentId', 'reportId', 'adopt'],
        values: [...w.payments, ...w.reports, '0', '1', '4500', '4,500.00', '-1'],
        runs: 60,
      },
      {
        name: 'desk decision',
        who: 'panel',
        paths: [...desk('approve', [apps.deciding, apps.deciding2]), ...desk('reject', [apps.deciding])],
        names: ['text', 'amount', 'adopt'],
        values: ['0', '1', '4500', '5000.01', '450000'],
      },
      {
        name: 'desk assessment',
        who: 'officer',
        paths: [apps.assessing, apps.assessing2, apps.submitted].map((id) => `/desk/applications/${id}/assessment`),
        names: [
          ...rubric.flatMap((a) => [`score-${a}`, `note-${a}`]),
          'riskTier',
          'overrideOutcome',
          'overrideReason',
          'recommended',
        ],
        values: ['0', '1', '2', '3', '4', ...RISK_TIERS, ...OUTCOMES, 'computed', '4500'],
        runs: 50,
      },
      {
        name: 'desk countersign',
        who: 'officer',
        paths: [apps.assessing, apps.submitted].map((id) => `/desk/applications/${id}/assessment/countersign`),
        names: [],
        runs: 10,
      },
      {
        name: 'desk note',
        who: 'officer',
        paths: [apps.submitted, apps.screening].map((id) => `/desk/applications/${id}/notes`),
        names: ['body'],
        runs: 30,
      },
      {
        name: 'desk conflict of interest',
        who: 'panel',
        paths: [apps.deciding, apps.deciding2].map((id) => `/desk/applications/${id}/conflict-of-interest`),
        names: ['conflicted'],
        values: ['yes', 'no'],
        runs: 25,
      },
      {
        name: 'desk condition',
        who: 'officer',
        paths: w.conditions.map((c) => `/desk/applications/${apps.conditional}/conditions/${c}`),
        names: ['outcome', 'note'],
        values: ['met', 'waived'],
        runs: 30,
      },
      {
        name: 'desk bulk',
        who: 'officer',
        paths: [`/desk/funds/${fund.id}/bulk`],
        names: ['ids', 'action', 'text'],
        values: [...BULK_ACTIONS, apps.submitted, apps.screening, apps.assessing],
        runs: 35,
        banner: true,
      },
      {
        name: 'account notifications (applicant)',
        who: 'applicant',
        paths: ['/account/notifications'],
        names: ['optionalReminders', 'dailyDigest'],
        values: ['yes', 'no'],
        runs: 15,
      },
      {
        name: 'account notifications (officer)',
        who: 'officer',
        paths: ['/account/notifications'],
        names: ['optionalReminders', 'dailyDigest'],
        values: ['yes', 'no'],
        runs: 15,
      },
      { name: 'accept an invitation', who: 'applicant', paths: ['/invitations/not-a-token'], names: [], runs: 5 },
      // Never the right password, so no token is minted: every answer is the form again, nothing changes.
      {
        name: 'mint an API token',
        who: 'applicant',
        paths: ['/account/api-tokens'],
        names: ['name', 'password'],
        values: ['Grants CRM', 'https://evil.example', 'not the password'],
        runs: 20,
      },
      {
        name: 'revoke an API token that is not there',
        who: 'applicant',
        paths: ['/account/api-tokens/00000000-0000-4000-8000-000000000000/revoke'],
        names: [],
        runs: 5,
      },
      { name: 'confirm an email address', who: 'anonymous', paths: ['/verify-email/not-a-token'], names: [], runs: 5 },
    ];
  };

  /** Form posts for one form: real and random fields, a CSRF token that is usually right. */
  const posts = (spec: FormSpec, seed: number): Post[] => {
    const csrfMode = fc.constantFrom(
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'missing',
      'wrong',
      'twice',
    );
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`);
    const forms = fc
      .sample(fc.tuple(fc.constantFrom(...spec.paths), formPost(spec.names, spec.values ?? []), csrfMode, ip), {
        seed,
        numRuns: spec.runs ?? RUNS.form,
      })
      .map(([path, pairs, mode, forwardedFor]): Post => ({
        form: spec.name,
        who: spec.who,
        kind: 'form',
        path,
        contentType: 'application/x-www-form-urlencoded',
        csrfOk: mode === 'ok',
        unstorable: pairs.some(([k, v]) => (k + v).includes('\u0000')),
        forwardedFor,
        banner: !!spec.banner,
        body: (csrf) =>
          urlencoded([
            ...pairs,
            ...(mode === 'missing'
              ? []
              : mode === 'wrong'
                ? [['_csrf', `${csrf}x`] as [string, string]]
                : mode === 'twice'
                  ? ([
                      ['_csrf', csrf],
                      ['_csrf', csrf],
                    ] as FormPost)
                  : [['_csrf', csrf] as [string, string]]),
          ]),
      }));
    const b = 'fuzzFormBoundary';
    const malformed: [string, (csrf: string) => string | Buffer][] = [
      ['application/x-www-form-urlencoded', (csrf) => `${spec.names[0] ?? 'x'}=%zz%&_csrf=${encodeURIComponent(csrf)}`],
      [
        'application/x-www-form-urlencoded',
        (csrf) => `_csrf=${encodeURIComponent(csrf)}&${spec.names[0] ?? 'x'}=${'y'.repeat(1_100_000)}`,
      ],
      ['text/plain', (csrf) => `_csrf=${csrf}`],
      [
        'application/json',
        (csrf) =>
          JSON.stringify({
            _csrf: csrf,
            ...Object.fromEntries(spec.names.slice(0, 4).map((n, i) => [n, i % 2 ? ['a', 'b'] : { nested: true }])),
          }),
      ],
      [
        `multipart/form-data; boundary=${b}`,
        (csrf) =>
          `--${b}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${b}\r\ncontent-disposition: form-da`,
      ],
      [
        `multipart/form-data; boundary=${b}`,
        (csrf) =>
          `--${b}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n${spec.names
            .slice(0, 3)
            .map((n) => `--${b}\r\ncontent-disposition: form-data; name="${n}"\r\n\r\n\u0000☃\r\n`)
            .join('')}--${b}--\r\n`,
      ],
    ];
    return [
      ...forms,
      ...malformed.slice(0, RUNS.malformed).map(([contentType, body], i): Post => ({
        form: spec.name,
        who: spec.who,
        kind: 'malformed',
        path: spec.paths[i % spec.paths.length],
        contentType,
        csrfOk: true,
        unstorable: false,
        forwardedFor: `10.200.0.${i}`,
        banner: !!spec.banner,
        body,
      })),
    ];
  };

  it('answers every generated form post below 500, changes nothing on 4xx, and shows the error summary on a refused form', async () => {
    const all = specs().flatMap((spec, i) => posts(spec, SEED + i));
    const order = fc.sample(
      fc.shuffledSubarray(
        all.map((_, i) => i),
        { minLength: all.length },
      ),
      { seed: SEED, numRuns: 1 },
    )[0];
    const failures = new Map<string, { count: number; example: string }>();
    const fail = (what: string, p: Post, status: number, example: string) => {
      const key = `${what} [${p.form}] ${p.kind} ${status}`;
      const f = failures.get(key) ?? { count: 0, example: example.slice(0, 700) };
      f.count++;
      failures.set(key, f);
    };
    const statuses = new Map<number, number>();
    let before: Fingerprint = await fingerprint(s.ds, w.world);
    // The fingerprint must see the changes successful posts make, or its silence on a 4xx means nothing.
    let changesOnSuccess = 0;
    const started = Date.now();
    for (const i of order) {
      const p = all[i];
      const session = sessions[p.who];
      const body = p.body(session.csrf);
      const r = await session.fetch(p.path, {
        method: 'POST',
        headers: { 'content-type': p.contentType, 'x-forwarded-for': p.forwardedFor },
        body,
      });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const after = await fingerprint(s.ds, w.world);
      const example = `POST ${p.path} (${p.contentType}, csrf ${p.csrfOk ? 'ok' : 'bad'}) body=${String(body).slice(0, 300)} → ${r.status} ${r.location ?? ''} ${/<title>([^<]*)/.exec(r.html)?.[1] ?? r.html.slice(0, 200)}`;
      if (r.status >= 500) fail('5xx', p, r.status, example);
      const changed = changedTables(before, after);
      if (r.status >= 400 && changed.length > 0) fail(`changed ${changed.join(', ')}`, p, r.status, example);
      // A refused form shows what is wrong (an unreadable body gets the plain error page instead).
      if (
        (r.status === 400 || r.status === 422) &&
        p.kind === 'form' &&
        p.csrfOk &&
        !p.unstorable &&
        !r.html.includes('govuk-error-summary') &&
        !(p.banner && r.html.includes('govuk-notification-banner'))
      ) {
        fail('no error summary', p, r.status, example);
      }
      if (r.status < 400 && changed.length > 0) changesOnSuccess++;
      before = after;
    }
    const fives = [...statuses].filter(([st]) => st >= 500).reduce((a, [, n]) => a + n, 0);
    console.log(
      `fuzz-forms: ${all.length} bodies tried, ${fives} responses >= 500 (${specs().length} forms, ${changesOnSuccess} successful changes seen, ${Math.round((Date.now() - started) / 1000)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))})`,
    );
    const report = [...failures].map(([key, f]) => `${key} ×${f.count}: ${f.example}`);
    if (report.length > 0) console.log(report.join('\n\n'));
    expect([...failures.keys()]).toEqual([]);
    expect(changesOnSuccess).toBeGreaterThan(10);
  });

  it('refuses form data it cannot read with a 400 page, and form data where no upload belongs with a 415 page, changing nothing (found by the API fuzz: it was a 500)', async () => {
    const before = await fingerprint(s.ds, w.world);
    const b = 'cutShort';
    const send = (path: string) =>
      sessions.applicant.fetch(path, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${b}` },
        body: `--${b}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${sessions.applicant.csrf}\r\n--${b}\r\ncontent-disposition: form-da`,
      });
    const upload = await send(`/applications/${w.apps.draft}/sections/${applicationForm.sections[0].id}`);
    expect(upload.status).toBe(400);
    expect(upload.html).toContain('govuk-template');
    const notUpload = await send('/organisations');
    expect(notUpload.status).toBe(415);
    expect(notUpload.html).toContain('govuk-template');
    expect(changedTables(before, await fingerprint(s.ds, w.world))).toEqual([]);
  });

  it('refuses a NUL character in a form field with a 400 page, changing nothing (found by this suite: sign-in was a 500)', async () => {
    const before = await fingerprint(s.ds, w.world);
    for (const [who, path, pairs] of [
      [
        'anonymous',
        '/sign-in',
        [
          ['email', 'a\u0000@b.example'],
          ['password', 'x'],
        ],
      ],
      [
        'anonymous',
        '/register',
        [
          ['email', `a\u0000b@fuzz-${s.suffix}.example`],
          ['displayName', 'A'],
          ['password', 'correct horse battery staple 42'],
        ],
      ],
      ['applicant', `/desk/applications/${w.apps.submitted}/notes`, [['body', 'x']]],
      ['officer', `/desk/applications/${w.apps.submitted}/notes`, [['body', 'a\u0000b']]],
    ] as [Who, string, FormPost][]) {
      const session = sessions[who];
      const r = await session.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: urlencoded([...pairs, ['_csrf', session.csrf]]),
      });
      expect({ path, status: r.status }).toEqual({
        path,
        status: path.endsWith('/notes') && who === 'applicant' ? 404 : 400,
      });
    }
    expect(changedTables(before, await fingerprint(s.ds, w.world))).toEqual([]);
  });
});
