import { allQuestions, eligibilityChecks, londonDate } from '@sg/domain';
import { ApplicationEntity, FundEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import {
  formDefinition,
  organisationForEligibility,
  organisationGroupAwarded,
  saveEligibility,
} from './eligibility.store';

/** Approve reads the organisation group's awards inside its locked statement (execute-transition). */
export { organisationGroupAwardedSql } from './eligibility.store';

/** Screening's automatic checks, computed and stored in the submitting transaction. */
export async function recordEligibility(
  m: EntityManager,
  app: ApplicationEntity,
  fund: FundEntity,
  now: Date,
): Promise<void> {
  const org = await organisationForEligibility(m, app.organisationId);
  const form = app.formKey ? await formDefinition(m, app.formKey, app.formVersion) : undefined;
  const missingDocuments = form
    ? allQuestions(form)
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
  await saveEligibility(m, app.id, { checkedAt: now.toISOString(), checks });
}
