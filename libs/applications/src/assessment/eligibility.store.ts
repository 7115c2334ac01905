import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** What screening reads about the applying organisation. */
export async function organisationForEligibility(
  m: Queryable,
  organisationId: string,
): Promise<{ legal_form: string; led_by_and_for: boolean | null }> {
  const [org] = await m.query('SELECT legal_form, led_by_and_for FROM organisations WHERE id = $1', [organisationId]);
  return org;
}

/** The definition of the form version the application was made on, if it exists. */
export { formDefinition } from '../forms/application-forms.store';

/**
 * What the organisation (and any it duplicates) has been awarded in the fund, net of releases.
 * The group (the root, when it is no one's duplicate, and the root's duplicates) is found by index,
 * then its entries by (fund_id, organisation_id): this runs under the fund's lock, so it must not
 * read every organisation (a join on coalesce(duplicate_of, id) did, costing ~6 ms at 16k).
 */
export async function organisationGroupAwarded(
  m: Pick<EntityManager, 'query'>,
  fundId: string,
  organisationId: string,
): Promise<number> {
  const [{ awarded }] = await m.query(`SELECT ${organisationGroupAwardedSql('$1', '$2')} AS awarded`, [
    fundId,
    organisationId,
  ]);
  return Number(awarded);
}

/**
 * The same sum as a scalar subquery, for a caller that reads it in one statement with other things;
 * `fund` and `organisation` are the statement's parameter placeholders.
 */
export function organisationGroupAwardedSql(fund: string, organisation: string): string {
  return `(WITH me AS (SELECT coalesce(duplicate_of, id) AS root FROM organisations WHERE id = ${organisation}),
          grp AS (SELECT o.id FROM organisations o JOIN me ON o.duplicate_of = me.root
                  UNION ALL SELECT o.id FROM organisations o JOIN me ON o.id = me.root AND o.duplicate_of IS NULL)
     SELECT coalesce(sum(CASE l.kind WHEN 'commitment' THEN l.amount_pence WHEN 'release' THEN -l.amount_pence ELSE 0 END), 0)::bigint
     FROM grp JOIN ledger_entries l ON l.organisation_id = grp.id AND l.fund_id = ${fund})`;
}

/** Stores screening's checks on the application. */
export async function saveEligibility(m: Queryable, applicationId: string, eligibility: object): Promise<void> {
  await m.query('UPDATE applications SET eligibility = $2 WHERE id = $1', [applicationId, JSON.stringify(eligibility)]);
}
