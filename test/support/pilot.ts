import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Valid inputs for the pilot fund, for tests that need an organisation or a complete application. */

const rubric = JSON.parse(
  readFileSync(join(__dirname, '../../config/rubrics/cleveland-pilot-rubric.v1.json'), 'utf8'),
) as { areas: { id: string }[] };

/** Scores for every area of the pilot rubric: 3 unless given. */
export function rubricScores(overrides: Record<string, number> = {}): Record<string, number> {
  return { ...Object.fromEntries(rubric.areas.map((a) => [a.id, 3])), ...overrides };
}

export function organisationProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Tees Valley Sisters',
    legalForm: 'cio',
    registrationNumber: '1190001',
    addressLine1: '1 High Street',
    town: 'Stockton-on-Tees',
    postcode: 'TS18 1AA',
    areaCode: 'E06000004',
    communitiesServed: ['asian_pakistani', 'asian_indian'],
    languages: ['Urdu', 'Punjabi', 'English'],
    ledByAndFor: true,
    ledByAndForStatement: 'Our trustees and volunteers are women from the communities we serve.',
    safeguardingLeadName: 'A. Khan',
    safeguardingLeadRole: 'Chair of trustees',
    ...overrides,
  };
}

/** A complete set of answers to the pilot form, with no file (the applicant has no written policy). */
export function completeAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project_name: 'Peer support circle in Punjabi and Urdu',
    project_summary: 'Weekly peer support for women from South Asian communities.',
    start_date: '2027-02-01',
    people_expected: 40,
    activity_types: ['peer_support', 'signposting'],
    risk_tier: 'medium',
    activity_description: 'Weekly sessions at the community centre run by two trained volunteers.',
    languages_offered: 'Urdu, Punjabi, English',
    works_with_children: false,
    has_safeguarding_policy: false,
    risk_approach: 'We use a recognised checklist and our lead decides on referral the same day.',
    referral_routes: ['commissioned_da_services', 'police'],
    amount_requested: 450000,
    budget: {
      lines: [
        { item: 'Room hire', amountPence: 200000 },
        { item: 'Volunteer expenses', amountPence: 250000 },
      ],
    },
    other_funding: false,
    ...overrides,
  };
}

/** A complete monitoring report on the pilot's report form: 12 people, £spent as given. */
export function reportAnswers(spendPence: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const twelve = (rows: Record<string, number>) =>
    Object.fromEntries(Object.entries(rows).map(([row, count]) => [row, { count }]));
  return {
    narrative: 'Twelve weekly sessions in Urdu and Punjabi; two women moved on to the commissioned service.',
    people_supported: 12,
    sessions_delivered: 12,
    spend_to_date: spendPence,
    spend_lines: { lines: [{ item: 'Room hire', amountPence: spendPence }] },
    referrals: { commissioned_da_services: { out: 2, in: 1, cost: 4500 }, police: { out: 1 } },
    outcomes: { feel_safe: { people: 9 }, know_options: { people: 11 } },
    ethnicity: twelve({ asian_pakistani: 7, asian_indian: 3, not_known: 2 }),
    sex: twelve({ female: 12 }),
    age_band: twelve({ age_25_34: 5, age_35_44: 4, not_known: 3 }),
    disability: twelve({ yes: 2, no: 8, not_known: 2 }),
    sexual_orientation: twelve({ not_known: 12 }),
    religion: twelve({ muslim: 8, sikh: 2, not_known: 2 }),
    pregnancy_maternity: twelve({ no: 10, not_known: 2 }),
    gender_reassignment: twelve({ not_known: 12 }),
    first_language: twelve({ urdu: 6, punjabi: 4, english: 2 }),
    nrpf: twelve({ yes: 3, no: 7, not_known: 2 }),
    safeguarding_raised: 2,
    safeguarding_escalated: 1,
    ...overrides,
  };
}
