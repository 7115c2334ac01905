import { formatPounds } from '../money/pence';

/**
 * Screening's automatic checks, computed when an application is submitted and shown to officers
 * as pass or fail with a reason. They inform the officer, who confirms eligibility or marks the
 * application ineligible with a reason: no check rejects anything by itself.
 */
export const ELIGIBILITY_CHECKS = [
  'fund_open',
  'legal_form',
  'area',
  'amount_within_headroom',
  'documents',
  'led_by_and_for',
] as const;
export type EligibilityCheckId = (typeof ELIGIBILITY_CHECKS)[number];

export interface EligibilityCheck {
  id: EligibilityCheckId;
  passed: boolean;
  reason: string;
}

export interface EligibilityFacts {
  /** The submission date in Europe/London, YYYY-MM-DD. */
  submittedOn: string;
  opensOn: string | null;
  closesOn: string | null;
  legalForm: string;
  /** Legal forms the fund accepts; empty means all. */
  eligibleLegalForms: readonly string[];
  areaCode: string;
  fundAreaCodes: readonly string[];
  requestedPence: number;
  maxPerOrganisationPence: number;
  /** Already awarded to this organisation (and any it duplicates) in this fund. */
  organisationAwardedPence: number;
  /** Labels of required file questions that have no file. */
  missingDocuments: readonly string[];
  ledByAndFor: boolean | null;
}

export function eligibilityChecks(f: EligibilityFacts): EligibilityCheck[] {
  const headroom = Math.max(0, f.maxPerOrganisationPence - f.organisationAwardedPence);
  const open =
    (f.opensOn === null || f.submittedOn >= f.opensOn) && (f.closesOn === null || f.submittedOn <= f.closesOn);
  return [
    {
      id: 'fund_open',
      passed: open,
      reason: open
        ? 'Submitted while the fund was open'
        : f.opensOn !== null && f.submittedOn < f.opensOn
          ? `Submitted on ${f.submittedOn}, before the fund opened on ${f.opensOn}`
          : `Submitted on ${f.submittedOn}, after the fund closed on ${f.closesOn}`,
    },
    {
      id: 'legal_form',
      passed: f.eligibleLegalForms.length === 0 || f.eligibleLegalForms.includes(f.legalForm),
      reason:
        f.eligibleLegalForms.length === 0 || f.eligibleLegalForms.includes(f.legalForm)
          ? `The fund accepts ${f.legalForm.replace(/_/g, ' ')}`
          : `The fund does not accept ${f.legalForm.replace(/_/g, ' ')}`,
    },
    {
      id: 'area',
      passed: f.fundAreaCodes.includes(f.areaCode),
      reason: f.fundAreaCodes.includes(f.areaCode)
        ? `Area ${f.areaCode} is in the fund`
        : `Area ${f.areaCode} is outside the fund's areas`,
    },
    {
      id: 'amount_within_headroom',
      passed: f.requestedPence <= headroom,
      reason:
        f.requestedPence <= headroom
          ? `${formatPounds(f.requestedPence)} is within the organisation's remaining ${formatPounds(headroom)}`
          : `${formatPounds(f.requestedPence)} is more than the organisation's remaining ${formatPounds(headroom)} (already awarded ${formatPounds(f.organisationAwardedPence)})`,
    },
    {
      id: 'documents',
      passed: f.missingDocuments.length === 0,
      reason:
        f.missingDocuments.length === 0
          ? 'Every required document is attached'
          : `Missing: ${f.missingDocuments.join(', ')}`,
    },
    {
      id: 'led_by_and_for',
      passed: f.ledByAndFor === true,
      reason:
        f.ledByAndFor === true
          ? 'The organisation declares it is led by and for the communities it serves'
          : 'The organisation does not declare that it is led by and for the communities it serves',
    },
  ];
}
