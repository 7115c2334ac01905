import { LedgerKind } from '@sg/domain';
import { FundEntity, LedgerEntryEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { Queryable } from '../funds.store';

/** The statements of reading a fund: the fund list, one fund, its ledger, and the money report's sums. */

export function listFunds(m: EntityManager): Promise<FundEntity[]> {
  return m.getRepository(FundEntity).find({ order: { createdAt: 'ASC' } });
}

export function findFundByIdOrSlug(
  m: EntityManager,
  by: { id: string } | { slug: string },
): Promise<FundEntity | null> {
  return m.getRepository(FundEntity).findOneBy(by);
}

export function ledgerEntriesOf(m: EntityManager, fundId: string): Promise<LedgerEntryEntity[]> {
  return m.getRepository(LedgerEntryEntity).find({ where: { fundId }, order: { id: 'ASC' } });
}

/** Applications awaiting decision: how many, their recommended (or asked-for) total, how many lack a recommendation. */
export async function awaitingDecisionTotals(
  db: Queryable,
  fundId: string,
): Promise<{ applications: number; recommended: number | string; without_recommendation: number }> {
  const [waiting] = await db.query(
    `SELECT count(*)::int AS applications,
              coalesce(sum(coalesce(s.recommended_pence, a.requested_pence, 0)), 0)::bigint AS recommended,
              count(*) FILTER (WHERE s.recommended_pence IS NULL)::int AS without_recommendation
       FROM applications a LEFT JOIN assessments s ON s.application_id = a.id
       WHERE a.fund_id = $1 AND a.state = 'awaiting_decision'`,
    [fundId],
  );
  return waiting;
}

/** The partner organisation's link to the fund as staff (not as its funder), if it has one. */
export async function staffLinkToFund(
  db: Queryable,
  fundId: string,
  partnerOrganisationId: string,
): Promise<{ role: 'managing' | 'partner'; areas: string[] } | undefined> {
  const [link] = await db.query(
    `SELECT role, areas FROM fund_partners WHERE fund_id = $1 AND partner_organisation_id = $2 AND role <> 'funder'`,
    [fundId, partnerOrganisationId],
  );
  return link;
}

/** The fund's ledger summed by organisation and kind; only applications in these areas when given. */
export function organisationLedgerSums(
  db: Queryable,
  fundId: string,
  areas: string[] | null,
): Promise<{ organisation_id: string; name: string; kind: LedgerKind; amount: number }[]> {
  const params: unknown[] = [fundId];
  const inAreas = areas
    ? `AND l.application_id IN (SELECT a.id FROM applications a WHERE a.fund_id = $1 AND a.area_code = ANY ($${params.push(areas)}::text[]))`
    : '';
  return db.query(
    `SELECT l.organisation_id, o.name, l.kind, sum(l.amount_pence)::bigint AS amount
       FROM ledger_entries l JOIN organisations o ON o.id = l.organisation_id
       WHERE l.fund_id = $1 AND l.organisation_id IS NOT NULL ${inAreas}
       GROUP BY l.organisation_id, o.name, l.kind`,
    params,
  );
}

/**
 * The ledger summed by hour (of its event) and kind, oldest first. London is always a whole number
 * of hours from UTC, so an hour falls on one London day.
 */
export function hourlyLedgerSums(
  db: Queryable,
  fundId: string,
): Promise<{ hour: Date; kind: LedgerKind; amount: number }[]> {
  return db.query(
    `SELECT date_trunc('hour', e.created_at, 'UTC') AS hour, l.kind, sum(l.amount_pence)::bigint AS amount
       FROM ledger_entries l JOIN events e ON e.id = l.event_id
       WHERE l.fund_id = $1
       GROUP BY 1, 2 ORDER BY 1, 2`,
    [fundId],
  );
}
