import { LedgerKind } from '@sg/domain';
import { FundEntity, FundPartnerEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';

/** Anything that runs a statement: the data source, or a transaction's entity manager. */
export type Queryable = Pick<EntityManager, 'query'>;

/** The fund-row and ledger statements that several of the fund's use cases share. */

/** The fund's ledger summed by kind in the database. */
export function ledgerSumsByKind(db: Queryable, fundId: string): Promise<{ kind: LedgerKind; amount: number }[]> {
  return db.query(
    `SELECT kind, sum(amount_pence)::bigint AS amount FROM ledger_entries WHERE fund_id = $1 GROUP BY kind`,
    [fundId],
  );
}

export function findFund(m: EntityManager, fundId: string): Promise<FundEntity | null> {
  return m.getRepository(FundEntity).findOneBy({ id: fundId });
}

/** The fund row under a write lock, held to the end of the caller's transaction. */
export function lockFundRow(m: EntityManager, fundId: string): Promise<FundEntity | null> {
  return m.getRepository(FundEntity).findOne({ where: { id: fundId }, lock: { mode: 'pessimistic_write' } });
}

export async function fundExists(db: Queryable, fundId: string): Promise<boolean> {
  const [fund] = await db.query('SELECT 1 FROM funds WHERE id = $1', [fundId]);
  return !!fund;
}

/** The partner organisation's link to the fund (any role), if it has one. */
export function findFundPartnerLink(
  m: EntityManager,
  fundId: string,
  partnerOrganisationId: string,
): Promise<FundPartnerEntity | null> {
  return m.getRepository(FundPartnerEntity).findOneBy({ fundId, partnerOrganisationId });
}
