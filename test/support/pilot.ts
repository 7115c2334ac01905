import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Valid inputs for the pilot fund, for tests that need an organisation or a complete application. */

const rubric = JSON.parse(readFileSync(join(__dirname, '../../config/rubrics/cleveland-pilot-rubric.v1.json'), 'utf8')) as { areas: { id: string }[] };

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
    budget: { lines: [{ item: 'Room hire', amountPence: 200000 }, { item: 'Volunteer expenses', amountPence: 250000 }] },
    other_funding: false,
    ...overrides,
  };
}
