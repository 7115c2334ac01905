// Set-up shared by the benchmarks: funds created through the API (as an administrator would), and
// applications waiting for a decision written in bulk with SQL (as the concurrency test does:
// the subject is what follows a decision).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Creates `count` copies of the pilot fund (managed by Catalyst, so the development panel member decides). */
export async function createFunds(ctx, label, count, overrides = {}) {
  const base = JSON.parse(readFileSync(join(ctx.root, 'config', 'funds', 'cleveland-pilot.json'), 'utf8'));
  const ids = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const definition = { ...base, ...overrides, slug: `bench-${label}-${i}`, name: `Bench ${label} ${i}` };
      const r = await ctx.http.request('POST', '/api/v1/funds', { token: ctx.tokens.admin, body: definition });
      if (r.status !== 201) throw new Error(`fund not created: ${r.status} ${r.text.slice(0, 300)}`);
      ids[i] = r.body.id;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return ids;
}

/**
 * `perFund` applications in each fund, awaiting decision, each from an organisation of its own
 * with the development applicant as its member (so each approval emails one person). Returned
 * round-robin over the funds, so consecutive approvals hit different funds.
 */
export async function awaitingDecision(ctx, label, fundIds, perFund, amountPence) {
  const total = fundIds.length * perFund;
  const tag = `${label}-`;
  await ctx.pg.query(
    `INSERT INTO organisations (id, name, legal_form, area_code, created_by)
     SELECT md5($1 || 'org' || n)::uuid, 'Bench group ' || $1 || n, 'cio', 'E06000002', $2 FROM generate_series(0, $3 - 1) n`,
    [tag, ctx.applicantId, total],
  );
  await ctx.pg.query(
    `INSERT INTO organisation_members (organisation_id, user_id, role)
     SELECT md5($1 || 'org' || n)::uuid, $2, 'owner' FROM generate_series(0, $3 - 1) n`,
    [tag, ctx.applicantId, total],
  );
  await ctx.pg.query(
    `INSERT INTO applications (id, reference, fund_id, organisation_id, state, title, requested_pence, area_code, created_by)
     SELECT md5($1 || 'app' || n)::uuid, 'SGB-' || $1 || n, ($4::uuid[])[1 + n % array_length($4::uuid[], 1)],
            md5($1 || 'org' || n)::uuid, 'awaiting_decision', 'Bench project', $5, 'E06000002', $2
     FROM generate_series(0, $3 - 1) n`,
    [tag, ctx.applicantId, total, fundIds, amountPence],
  );
  const rows = await ctx.pg.query(
    `SELECT md5($1 || 'app' || n)::uuid AS id, md5($1 || 'org' || n)::uuid AS organisation_id,
            ($3::uuid[])[1 + n % array_length($3::uuid[], 1)] AS fund_id
     FROM generate_series(0, $2 - 1) n ORDER BY n`,
    [tag, total, fundIds],
  );
  return rows.rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, fundId: r.fund_id, amountPence }));
}
