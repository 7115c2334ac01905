import { Actor, actingUserId, addIsoDuration, MoneyFacts, Transition, UseCaseError } from '@sg/domain';
import { outboxInsertEachSql } from '@sg/jobs';
import { ApplicationEntity, FundEntity, hydrate, storedBalances } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { organisationGroupAwardedSql } from '../assessment/eligibility-at-submission';

/** The application's fund, locked (FOR UPDATE) when the action moves money. */
export async function readFund(m: EntityManager, fundId: string, lock: boolean): Promise<FundEntity> {
  const [row] = await m.query(`SELECT * FROM funds WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [fundId]);
  if (!row) throw UseCaseError.notFound('The fund');
  return hydrate(m, FundEntity, row);
}

/**
 * The cap counts the awards of the real organisation: this one and every organisation flagged as
 * its duplicate, so a second account for the same group cannot lift the per-organisation cap.
 * Read under the fund lock, which serialises approvals in the fund, so the sum cannot change
 * under us; with it, in the same statement, the application's current version.
 */
export async function readMoneyFacts(
  m: EntityManager,
  fund: FundEntity,
  app: ApplicationEntity,
): Promise<{ money: MoneyFacts; applicationVersion: number }> {
  const [row] = await m.query(
    `SELECT ${organisationGroupAwardedSql('$1', '$2')} AS awarded, (SELECT version FROM applications WHERE id = $3) AS version`,
    [fund.id, app.organisationId, app.id],
  );
  return {
    money: {
      grantablePence: fund.grantablePence,
      maxPerOrganisationPence: fund.maxPerOrganisationPence,
      organisationAwardedPence: Number(row.awarded),
      balances: storedBalances(fund),
    },
    applicationVersion: row.version,
  };
}

/** Adds a statement parameter and answers its placeholder. */
type Param = (value: unknown) => string;

/**
 * The transition's jobs, written to the outbox by the statement that records it (one CTE, from
 * the outbox writer of libs/jobs): each job's id is its name, the fund and the event, so a job is
 * queued once per event.
 */
export function outboxJobsCte(d: Transition, fundId: string, p: Param): string {
  const fundText = p(fundId);
  const insert = outboxInsertEachSql({
    jobs: d.jobs,
    param: p,
    jobIdSql: (name) => `${name} || '-' || ${fundText}::text || '-' || recorded.id`,
    payloadSql: { fundId: `${fundText}::text` },
    fromSql: 'recorded',
  });
  return `jobs AS (${insert})`;
}

/**
 * The conditional update with everything that hangs on it, in one statement (data-modifying
 * CTEs): the update must touch exactly one row (or someone else moved the application first, and
 * nothing at all is written); the event, the ledger entries with the fund's stored balances, and
 * the transition's jobs are written only if it did. Under the fund lock, every round trip is time
 * a rival approval in the same fund waits. Everything written is read off the transition.
 */
export async function moveAndRecord(
  m: EntityManager,
  actor: Actor,
  app: ApplicationEntity,
  d: Transition,
  now: Date,
  fund: FundEntity,
): Promise<{ version: number; eventId: number }> {
  const params: unknown[] = [];
  const p: Param = (value) => {
    params.push(value);
    return `$${params.length}`;
  };
  const [id, fundId, at] = [p(app.id), p(app.fundId), p(now)];
  const sets: string[] = [`state = ${p(d.to)}`, 'version = version + 1', `updated_at = ${at}`];
  if (d.to !== d.from) sets.push(`state_changed_at = ${at}`);
  const set = (column: string, value: unknown) => sets.push(`${column} = ${p(value)}`);
  if (d.patch.awardedPence !== undefined) set('awarded_pence', d.patch.awardedPence);
  if (d.patch.conditions !== undefined) set('conditions', JSON.stringify(d.patch.conditions));
  if (d.patch.returnToState !== undefined) set('return_to_state', d.patch.returnToState);
  if (d.patch.underspendWaived !== undefined) set('underspend_waived', d.patch.underspendWaived);
  if (d.patch.offerExpiresAt !== undefined) set('offer_expires_at', d.patch.offerExpiresAt);
  const disbursed = sumOf(d, 'disbursement');
  const returned = sumOf(d, 'return');
  if (disbursed > 0) set('disbursed_pence', app.disbursedPence + disbursed);
  if (returned > 0) set('returned_pence', app.returnedPence + returned);
  for (const column of d.writes.stamps) sets.push(`${column} = ${at}`);
  if (d.writes.offerExpiry === 'fund-offer-validity') set('offer_expires_at', addIsoDuration(now, fund.offerValidFor));
  const ctes = [
    `moved AS (UPDATE applications SET ${sets.join(', ')} WHERE id = ${id} AND state = ${p(app.state)} AND version = ${p(app.version)} RETURNING version)`,
    `recorded AS (INSERT INTO events (fund_id, application_id, action, from_state, to_state, actor_user_id, actor_role, reason, data, created_at)
         SELECT ${fundId}, ${id}, ${p(d.event.action)}, ${p(d.from)}, ${p(d.to)}, ${p(actingUserId(actor))}, ${p(actor.role)}, ${p(d.event.reason)}, ${p(d.event.data)}, ${at}
         FROM moved RETURNING id)`,
  ];
  if (d.ledger.length > 0) {
    const committed = sumOf(d, 'commitment') - sumOf(d, 'release') - disbursed;
    ctes.push(
      `entries AS (INSERT INTO ledger_entries (fund_id, application_id, organisation_id, event_id, kind, amount_pence)
           SELECT ${fundId}, ${id}, ${p(app.organisationId)}, recorded.id, e.kind, e.amount
           FROM recorded, unnest(${p(d.ledger.map((e) => e.kind))}::text[], ${p(d.ledger.map((e) => e.amountPence))}::bigint[]) AS e(kind, amount))`,
      `balances AS (UPDATE funds SET committed_pence = committed_pence + ${p(committed)}, disbursed_pence = disbursed_pence + ${p(disbursed)},
           returned_pence = returned_pence + ${p(returned)}, version = version + 1, updated_at = now()
           WHERE id = ${fundId} AND EXISTS (SELECT 1 FROM recorded))`,
    );
  }
  if (d.jobs.length > 0) ctes.push(outboxJobsCte(d, app.fundId, p));
  const rows: { version: number; event_id: number }[] = await m.query(
    `WITH ${ctes.join(',\n')} SELECT moved.version, recorded.id AS event_id FROM moved, recorded`,
    params,
  );
  if (rows.length !== 1) {
    throw new UseCaseError(
      'conflict',
      'concurrent_change',
      'Someone else changed this application at the same moment; nothing was changed, reload and try again',
    );
  }
  return { version: rows[0].version, eventId: rows[0].event_id };
}

function sumOf(d: Transition, kind: Transition['ledger'][number]['kind']): number {
  return d.ledger.filter((e) => e.kind === kind).reduce((a, e) => a + e.amountPence, 0);
}
