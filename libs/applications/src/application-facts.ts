import { ApplicationFacts, blocksPayment, ConditionBlocks, FundRules } from '@sg/domain';
import { ApplicationEntity, FundEntity, hydrate, MonitoringReportEntity, PaymentEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';

/** A tracked condition as the machine needs it. */
export interface TrackedConditionRow {
  text: string;
  blocks: ConditionBlocks;
  status: string;
}

/** What surrounds an application: read together, in one statement, by its view and its transitions. */
export interface ApplicationDetails {
  organisationName: string;
  fund: FundRules;
  payments: PaymentEntity[];
  reports: MonitoringReportEntity[];
  conditions: TrackedConditionRow[];
}

/**
 * The columns that read what surrounds application `a` (with its organisation joined as `o` and its
 * fund as `f`, see DETAILS_JOINS): a `json_agg` per child table, so that a child's rows cannot
 * multiply another's. Added to any statement that reads applications, they cost no round trip.
 */
export const DETAILS_COLUMNS = `o.name AS _organisation_name, f.payment_schedule AS _payment_schedule, f.report_schedule AS _report_schedule,
  f.payment_release_needs_second_officer AS _release_needs_second_officer,
  (SELECT coalesce(json_agg(p ORDER BY p.tranche), '[]') FROM payments p WHERE p.application_id = a.id) AS _payments,
  (SELECT coalesce(json_agg(r ORDER BY r.due_on, r.id), '[]') FROM monitoring_reports r WHERE r.application_id = a.id) AS _reports,
  (SELECT coalesce(json_agg(json_build_object('text', c.text, 'blocks', c.blocks, 'status', c.status) ORDER BY c.position), '[]')
     FROM conditions c WHERE c.application_id = a.id) AS _conditions`;
export const DETAILS_JOINS = 'JOIN organisations o ON o.id = a.organisation_id JOIN funds f ON f.id = a.fund_id';

/** The details from a row that selected DETAILS_COLUMNS. */
export function detailsFromRow(m: EntityManager, row: Record<string, unknown>): ApplicationDetails {
  return {
    organisationName: row._organisation_name as string,
    fund: {
      paymentSchedule: row._payment_schedule as FundRules['paymentSchedule'],
      reportSchedule: row._report_schedule as FundRules['reportSchedule'],
      paymentReleaseNeedsSecondOfficer: row._release_needs_second_officer === true,
    },
    payments: (row._payments as Record<string, unknown>[]).map((p) => hydrate(m, PaymentEntity, p)),
    reports: (row._reports as Record<string, unknown>[]).map((r) => hydrate(m, MonitoringReportEntity, r)),
    conditions: row._conditions as TrackedConditionRow[],
  };
}

/**
 * What the lifecycle machine needs to know about an application. `today` is the London date by
 * the caller's clock: a report due before it and not in is overdue.
 */
export function applicationFacts(
  app: ApplicationEntity,
  details: Pick<ApplicationDetails, 'payments' | 'reports' | 'conditions'>,
  today: string,
): ApplicationFacts {
  const { payments, reports } = details;
  const facts: ApplicationFacts = {
    // Only a draft may lack an amount, and no money rule reads a draft's.
    requestedPence: app.requestedPence ?? 0,
    awardedPence: app.awardedPence,
    conditions: app.conditions,
    returnToState: app.returnToState,
    offerExpiresAt: app.offerExpiresAt,
    disbursedPence: app.disbursedPence,
    returnedPence: app.returnedPence,
    underspendWaived: app.underspendWaived,
    payments: payments.map((p) => ({ id: p.id, amountPence: p.amountPence, state: p.state })),
    reports: reports.map((r) => ({ id: r.id, kind: r.kind, state: r.state, spendToDatePence: r.spendToDatePence })),
    overdueReports: reports
      .filter((r) => (r.state === 'due' || r.state === 'returned') && r.dueOn < today)
      .map((r) => r.kind),
  };
  if (details.conditions.length === 0) return facts;
  // Tracked conditions replace the texts recorded at approval: met and waived ones no longer hold anything up.
  const open = details.conditions.filter((r) => r.status === 'open');
  return {
    ...facts,
    // 'payments' conditions let the grant start but hold up every payment until they are met.
    conditions: open.filter((r) => r.blocks !== 'nothing' && r.blocks !== 'payments').map((r) => r.text),
    offerAcceptanceBlockers: open.filter((r) => r.blocks === 'offer_acceptance').map((r) => r.text),
    paymentBlockers: open.filter((r) => blocksPayment(r.blocks)).map((r) => r.text),
    conditionsTracked: true,
  };
}

export function fundRules(fund: FundEntity): FundRules {
  return {
    paymentSchedule: fund.paymentSchedule,
    reportSchedule: fund.reportSchedule,
    paymentReleaseNeedsSecondOfficer: fund.paymentReleaseNeedsSecondOfficer,
  };
}
