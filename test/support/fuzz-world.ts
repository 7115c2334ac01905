import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormDefinition } from '../../libs/domain/src/forms/form-definition';
import { World } from './fingerprint';
import { createFund, declareIfJudging, SIGNED, TestFund } from './funds';
import { completeAnswers, organisationProfile, rubricScores } from './pilot';
import { TestStack, TestUser } from './stack';

export const pilotForm = (file: string): FormDefinition =>
  JSON.parse(readFileSync(join(__dirname, '../../config/forms', file), 'utf8'));
export const applicationForm = pilotForm('cleveland-pilot-application.v2.json');
export const reportForm = pilotForm('cleveland-pilot-report.v1.json');

/** The fixtures a fuzz suite needs so that validation is reached: a fund, its people, applications in many states. */
export interface FuzzWorld {
  fund: TestFund;
  admin: TestUser;
  applicant: TestUser;
  stranger: TestUser;
  partner: TestUser;
  funder: TestUser;
  /** Applications by the state they were left in (draft, submitted, screening, assessing, deciding, informationRequested, offered, conditional, active). */
  apps: Record<string, string>;
  orgs: string[];
  reports: string[];
  payments: string[];
  conditions: string[];
  /** What the fingerprint covers. */
  world: World;
}

/** Builds the fixtures through the API, as a client would. */
export async function fuzzWorld(s: TestStack): Promise<FuzzWorld> {
  const fund = await createFund(s);
  const admin = await s.user('admin');
  const applicant = await s.user('applicant');
  const stranger = await s.user('applicant');
  const partner = await s.user('partner_officer', fund.definition.partners[0].slug);
  const funder = await s.user('funder_viewer', fund.definition.funder.slug);
  const orgs: string[] = [];

  const as = async (u: TestUser, method: string, path: string, body?: unknown) => {
    const r = await s.request(method, path, u.token, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const act = async (u: TestUser, id: string, action: string, body: unknown = {}) => {
    await declareIfJudging(s, u, id, action);
    return as(u, 'POST', `/api/v1/applications/${id}/actions/${action}`, body);
  };

  /** A new organisation and an application taken to the state asked for. */
  const application = async (state: string, n: number, approveWith: Record<string, unknown> = {}): Promise<string> => {
    const org = await as(
      applicant,
      'POST',
      '/api/v1/organisations',
      organisationProfile({
        name: `Fuzz Group ${n} ${s.suffix}`,
        registrationNumber: '',
        legalForm: 'other',
        postcode: `TS1${n % 10} 1AA`,
      }),
    );
    orgs.push(org.id);
    const answers = state === 'draft' ? { project_name: `Draft ${n}`, amount_requested: 300_000 } : completeAnswers();
    const id = (
      await as(applicant, 'POST', '/api/v1/applications', { fundId: fund.id, organisationId: org.id, answers })
    ).id as string;
    if (state === 'draft') return id;
    const steps: [string, () => Promise<unknown>][] = [
      ['submitted', () => act(applicant, id, 'submit')],
      ['screening', () => act(fund.officer, id, 'start-screening')],
      [
        'information_requested',
        () => act(fund.officer, id, 'request-information', { message: 'Which rooms will you use?' }),
      ],
      ['risk_assessment', () => act(fund.officer, id, 'confirm-eligible')],
      [
        'awaiting_decision',
        async () => (
          await as(fund.officer, 'PUT', `/api/v1/applications/${id}/assessment`, { scores: rubricScores() }),
          act(fund.officer, id, 'complete-assessment')
        ),
      ],
      ['offered', () => act(fund.panel, id, 'approve', { amountPence: 450_000, ...approveWith })],
      ['accepted', () => act(applicant, id, 'accept-offer', SIGNED)],
    ];
    for (const [reached, step] of steps) {
      if (reached === 'information_requested' && state !== reached) continue;
      await step();
      if (reached === state) break;
    }
    return id;
  };

  const apps: Record<string, string> = {};
  const plan: [string, string, Record<string, unknown>?][] = [
    ['draft', 'draft'],
    ['draft2', 'draft'],
    ['submitted', 'submitted'],
    ['screening', 'screening'],
    ['informationRequested', 'information_requested'],
    ['assessing', 'risk_assessment'],
    ['assessing2', 'risk_assessment'],
    ['deciding', 'awaiting_decision'],
    ['deciding2', 'awaiting_decision'],
    ['offered', 'offered'],
    ['offered2', 'offered'],
    [
      'conditional',
      'accepted',
      { conditions: ['Send the signed policy', 'Name a safeguarding lead', 'Book the training', 'Show the insurance'] },
    ],
    ['active', 'accepted'],
  ];
  for (const [i, [name, state, approveWith]] of plan.entries())
    apps[name] = await application(state, i + 1, approveWith);

  const reports: string[] = [];
  const payments: string[] = [];
  for (const id of [apps.conditional, apps.active]) {
    const view = await as(applicant, 'GET', `/api/v1/applications/${id}`);
    reports.push(...view.reports.map((r: { id: string }) => r.id));
    payments.push(...view.payments.map((p: { id: string }) => p.id));
  }
  const conditions = (await as(fund.officer, 'GET', `/api/v1/applications/${apps.conditional}/conditions`)).items.map(
    (c: { id: string }) => c.id,
  ) as string[];
  const users = [admin, applicant, stranger, partner, funder, fund.officer, fund.panel];
  return {
    fund,
    admin,
    applicant,
    stranger,
    partner,
    funder,
    apps,
    orgs,
    reports,
    payments,
    conditions,
    world: { users: users.map((u) => u.userId), funds: [fund.id], emailMarker: `fuzz-${s.suffix}` },
  };
}
