import { randomBytes } from 'node:crypto';
import { TestStack, TestUser } from './stack';

export interface TestFund {
  id: string;
  definition: Record<string, any>;
  /** A panel member and an officer of the managing VDA. */
  panel: TestUser;
  officer: TestUser;
}

/** The pilot fund (slugs unique to the stack), with any settings overridden, and its managing VDA's staff. */
export async function createFund(s: TestStack, overrides: Record<string, unknown> = {}): Promise<TestFund> {
  const admin = await s.user('admin');
  const definition = { ...s.pilotDefinition(), ...overrides };
  const r = await s.request('POST', '/api/v1/funds', admin.token, definition);
  if (r.status !== 201) throw new Error(`fund not created: ${r.status} ${JSON.stringify(r.body)}`);
  const panel = await s.user('panel_member', definition.managingOrganisation.slug);
  const officer = await s.user('officer', definition.managingOrganisation.slug);
  return { id: r.body.id, definition, panel, officer };
}

/**
 * Applications waiting for a decision, written directly (the subject is what follows a decision),
 * each from its own organisation unless told otherwise, owned by the applicant.
 */
export async function awaitingDecision(
  s: TestStack,
  fundId: string,
  applicant: TestUser,
  requests: { organisation?: number; amountPence: number; state?: string }[],
): Promise<{ id: string; organisationId: string; amountPence: number }[]> {
  const orgIds = new Map<number, string>();
  const apps = [];
  for (const [i, r] of requests.entries()) {
    const key = r.organisation ?? i;
    if (!orgIds.has(key)) {
      const [o] = await s.ds.query(
        `INSERT INTO organisations (name, legal_form, area_code, created_by) VALUES ($1, 'cio', 'E06000002', $2) RETURNING id`,
        [`Group ${key} ${randomBytes(2).toString('hex')}`, applicant.userId],
      );
      await s.ds.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [
        o.id,
        applicant.userId,
      ]);
      orgIds.set(key, o.id);
    }
    const [a] = await s.ds.query(
      `INSERT INTO applications (reference, fund_id, organisation_id, state, title, requested_pence, area_code, created_by)
       VALUES ($1, $2, $3, $4, 'Project', $5, 'E06000002', $6) RETURNING id`,
      [
        `SG-${randomBytes(5).toString('hex')}`,
        fundId,
        orgIds.get(key),
        r.state ?? 'awaiting_decision',
        r.amountPence,
        applicant.userId,
      ],
    );
    apps.push({ id: a.id as string, organisationId: orgIds.get(key)!, amountPence: r.amountPence });
  }
  // Written directly like the applications: every staff member who may decide has declared no conflict.
  await s.ds.query(
    `INSERT INTO conflict_declarations (application_id, user_id, conflicted)
     SELECT a.id, u.id, false FROM unnest($1::uuid[]) AS a (id), users u WHERE u.role IN ('officer', 'panel_member')`,
    [apps.map((a) => a.id)],
  );
  return apps;
}

/** The actions that judge an application: their actor declares a conflict of interest (or none) first. */
const JUDGEMENTS = ['confirm-eligible', 'mark-ineligible', 'complete-assessment', 'approve', 'reject'];

/** Before a judgement, the person declares no conflict of interest in the application (nothing otherwise). */
export async function declareIfJudging(s: TestStack, user: TestUser, applicationId: string, action: string) {
  if (JUDGEMENTS.includes(action)) await declareNoConflict(s, user, applicationId);
}

/** The person declares, through the API, that they have no conflict of interest in these applications. */
export async function declareNoConflict(s: TestStack, user: TestUser, ...applicationIds: string[]): Promise<void> {
  for (const id of applicationIds) {
    const r = await s.request('PUT', `/api/v1/applications/${id}/conflict-of-interest`, user.token, {
      conflicted: false,
    });
    if (r.status !== 200) throw new Error(`declaration refused: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

export const SIGNED = { signatoryName: 'Amina Khan', signatoryRole: 'Chair', acceptsTerms: true };

/** Polls until the check passes: for what a worker does after a commit. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fund's stored commitment beside its ledger: what the concurrency tests check after a race. */
export async function fundMoney(ds: Pick<TestStack['ds'], 'query'>, fundId: string) {
  const [f] = await ds.query(`SELECT grantable_pence, committed_pence FROM funds WHERE id = $1`, [fundId]);
  const perOrg: { organisation_id: string; awarded: number }[] = await ds.query(
    `SELECT organisation_id, sum(CASE kind WHEN 'commitment' THEN amount_pence ELSE -amount_pence END)::bigint AS awarded
     FROM ledger_entries WHERE fund_id = $1 AND kind IN ('commitment', 'release') GROUP BY organisation_id`,
    [fundId],
  );
  const [{ ledgerCommitted }] = await ds.query(
    `SELECT coalesce(sum(amount_pence), 0)::bigint AS "ledgerCommitted" FROM ledger_entries WHERE fund_id = $1 AND kind = 'commitment'`,
    [fundId],
  );
  return {
    grantable: f.grantable_pence as number,
    committed: f.committed_pence as number,
    ledgerCommitted: ledgerCommitted as number,
    perOrg: new Map<string, number>(perOrg.map((r) => [r.organisation_id, r.awarded])),
  };
}
