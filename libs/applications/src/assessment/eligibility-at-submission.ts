import { allQuestions, eligibilityChecks, FormDefinition, londonDate } from '@sg/domain';
import { ApplicationEntity, FundEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';

/**
 * What the organisation (and any it duplicates) has been awarded in the fund, net of releases.
 * The group (the root, when it is no one's duplicate, and the root's duplicates) is found by index,
 * then its entries by (fund_id, organisation_id): this runs under the fund's lock, so it must not
 * read every organisation (a join on coalesce(duplicate_of, id) did, costing ~6 ms at 16k).
 */
async function organisationGroupAwarded(
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

/** Screening's automatic checks, computed and stored in the submitting transaction. */
export async function recordEligibility(
  m: EntityManager,
  app: ApplicationEntity,
  fund: FundEntity,
  now: Date,
): Promise<void> {
  const [org] = await m.query('SELECT legal_form, led_by_and_for FROM organisations WHERE id = $1', [
    app.organisationId,
  ]);
  const [form] = app.formKey
    ? await m.query('SELECT definition FROM application_forms WHERE key = $1 AND version = $2', [
        app.formKey,
        app.formVersion,
      ])
    : [];
  const missingDocuments = form
    ? allQuestions(form.definition as FormDefinition)
        .filter((q) => q.type === 'file' && q.required && app.answers[q.id] === undefined)
        .filter((q) => !q.showIf || app.answers[q.showIf.question] === q.showIf.equals)
        .map((q) => q.label)
    : [];
  const checks = eligibilityChecks({
    submittedOn: londonDate(now),
    opensOn: fund.opensOn,
    closesOn: fund.closesOn,
    legalForm: org.legal_form,
    eligibleLegalForms: fund.eligibleLegalForms,
    areaCode: app.areaCode,
    fundAreaCodes: fund.areas.map((a) => a.code),
    requestedPence: app.requestedPence ?? 0,
    maxPerOrganisationPence: fund.maxPerOrganisationPence,
    organisationAwardedPence: await organisationGroupAwarded(m, fund.id, app.organisationId),
    missingDocuments,
    ledByAndFor: org.led_by_and_for,
  });
  await m.query('UPDATE applications SET eligibility = $2 WHERE id = $1', [
    app.id,
    JSON.stringify({ checkedAt: now.toISOString(), checks }),
  ]);
}
