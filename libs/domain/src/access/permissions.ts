import { ACTOR_ROLES, ActorRole } from '../lifecycle/actor-role';

/**
 * What a person may do, named for the purpose, one per rule. Which records they may do it to (their
 * organisation's, their fund's, their areas') is scope, decided where the records are read
 * (application-access.ts, visibility.ts, the funds' scope functions); this table says only which
 * roles hold each capability at all.
 */
export const CAPABILITIES = [
  /** Register an organisation, belong to it, start and edit its drafts, upload files, fill in reports, take the applicant's lifecycle actions. */
  'apply-for-organisation',
  /** Screen, risk-assess and score applications, request information, complete the assessment. */
  'screen-and-assess',
  /** Sign off (meet or waive) an award's conditions. */
  'sign-off-conditions',
  /** Waive a condition that holds up payment (the managing VDA's officers; others may meet it, or waive the rest). */
  'waive-payment-conditions',
  /** Approve or reject an application that awaits a decision. */
  'decide-awards',
  /** Run a grant after the decision: offers, conditions, payments, reports, suspension, returns, closure. */
  'manage-grants',
  /** Take the lifecycle actions the scheduler takes (an offer lapsing). */
  'run-scheduled-transitions',
  /** Declare a conflict of interest in an application before assessing or deciding it (and be kept from it by one). */
  'declare-conflicts',
  /** Read the internal notes on an application they can see. */
  'read-internal-notes',
  /** Write internal notes. */
  'write-internal-notes',
  /** Work on a fund's desk: its applications, filters and pages. */
  'use-desk',
  /** See the organisations behind the applications they can see, with their duplicate flags. */
  'view-applicant-organisations',
  /** Scope: every application (queued jobs). */
  'view-every-application',
  /** Scope: everything past draft on a fund their organisation manages (applications, evidence). */
  'oversee-managed-funds',
  /** Scope: applications past draft in their partner's areas only (and only those areas' money). */
  'view-applications-in-area',
  /** Scope: applications that await or had a decision, on a fund their organisation manages. */
  'view-applications-for-decision',
  /** Scope: every fund, without being party to it. */
  'oversee-every-fund',
  /** Read a fund's evidence (its counts and evaluation). */
  'view-evidence',
  /** Read, with small counts suppressed, the evidence of the funds their organisation funds. */
  'view-evidence-as-funder',
  /** Read the evidence of their own organisation's areas on a fund it works on. */
  'view-evidence-in-own-areas',
  /** See a fund's money summary (balances) on the fund they are party to. */
  'view-fund-money',
  /** Read a fund's money report (balances, forecast, organisations, series). */
  'view-money-report',
  /** Read a fund's money records and export its data: ledger, fee statement, payment run, CSV and 360Giving exports. */
  'read-fund-records',
  /** Create a fund from its definition. */
  'create-funds',
  /** Create staff accounts. */
  'create-staff-accounts',
  /** Be given a staff account (made by an administrator, never by registration). */
  'hold-staff-account',
  /** Work for a VDA or funder (a staff account of this role names its partner organisation). */
  'work-for-partner-organisation',
  /** Choose a daily digest of emails. */
  'receive-daily-digest',
  /** See and operate the job queues' board. */
  'administer-queues',
  /** List staff, change their role or partner, disable and re-enable them. */
  'manage-staff-accounts',
  /** Read the security log (sign-ins, tokens, users created or disabled, exports). */
  'read-security-events',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Role × capability: the whole policy on who may do what. */
export const PERMISSIONS: Record<Capability, readonly ActorRole[]> = {
  'apply-for-organisation': ['applicant'],
  'screen-and-assess': ['officer', 'partner_officer'],
  'sign-off-conditions': ['officer', 'partner_officer'],
  'waive-payment-conditions': ['officer'],
  'decide-awards': ['officer', 'panel_member'],
  'manage-grants': ['officer'],
  'run-scheduled-transitions': ['system'],
  'declare-conflicts': ['officer', 'partner_officer', 'panel_member'],
  'read-internal-notes': ['officer', 'partner_officer', 'panel_member'],
  'write-internal-notes': ['officer', 'partner_officer'],
  'use-desk': ['officer', 'partner_officer', 'panel_member'],
  'view-applicant-organisations': ['officer', 'partner_officer', 'panel_member'],
  'view-every-application': ['system'],
  'oversee-managed-funds': ['officer'],
  'view-applications-in-area': ['partner_officer'],
  'view-applications-for-decision': ['panel_member'],
  'oversee-every-fund': ['admin'],
  'view-evidence': ['officer', 'partner_officer', 'funder_viewer', 'admin'],
  'view-evidence-as-funder': ['funder_viewer'],
  'view-evidence-in-own-areas': ['officer', 'partner_officer'],
  'view-fund-money': ['officer', 'partner_officer', 'panel_member', 'funder_viewer', 'admin'],
  'view-money-report': ['officer', 'partner_officer', 'panel_member', 'admin'],
  'read-fund-records': ['officer', 'admin'],
  'create-funds': ['admin', 'system'],
  'create-staff-accounts': ['admin', 'system'],
  'hold-staff-account': ['officer', 'partner_officer', 'panel_member', 'funder_viewer', 'admin'],
  'work-for-partner-organisation': ['officer', 'partner_officer', 'panel_member', 'funder_viewer'],
  'receive-daily-digest': ['officer', 'partner_officer', 'panel_member', 'admin'],
  'administer-queues': ['admin'],
  'manage-staff-accounts': ['admin'],
  'read-security-events': ['admin'],
};

export function isCapability(value: unknown): value is Capability {
  return typeof value === 'string' && (CAPABILITIES as readonly string[]).includes(value);
}

/** Whether a person in this role may do this at all (scope aside). */
export function can(role: ActorRole, capability: Capability): boolean {
  return PERMISSIONS[capability].includes(role);
}

/** The roles that hold a capability, in the order of ACTOR_ROLES. */
export function rolesWith(capability: Capability): readonly ActorRole[] {
  return ACTOR_ROLES.filter((role) => can(role, capability));
}
