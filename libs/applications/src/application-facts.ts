import { ApplicationFacts, FundRules } from '@sg/domain';
import { ApplicationEntity, FundEntity, MonitoringReportEntity, PaymentEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { conditionFacts } from './conditions/award-conditions';

/**
 * What the lifecycle machine needs to know about an application, read in the caller's transaction.
 * `today` is the London date by the caller's clock: a report due before it and not in is overdue.
 */
export async function loadApplicationFacts(
  m: EntityManager,
  app: ApplicationEntity,
  today: string,
  loaded?: { payments: PaymentEntity[]; reports: MonitoringReportEntity[] },
): Promise<ApplicationFacts> {
  // A caller that has just read them (the application's view) passes them in rather than read them twice.
  const { payments, reports } = loaded ?? (await loadPaymentsAndReports(m, app.id));
  const facts = {
    ...applicationFacts(app, payments, reports),
    overdueReports: reports.filter((r) => (r.state === 'due' || r.state === 'returned') && r.dueOn < today).map((r) => r.kind),
  };
  const tracked = await conditionFacts(m, app.id);
  // Tracked conditions replace the texts recorded at approval: met and waived ones no longer hold anything up.
  return tracked.tracked
    ? { ...facts, conditions: tracked.beforeStart, offerAcceptanceBlockers: tracked.beforeAcceptance, paymentBlockers: tracked.beforePayment, conditionsTracked: true }
    : facts;
}

export function applicationFacts(app: ApplicationEntity, payments: PaymentEntity[], reports: MonitoringReportEntity[]): ApplicationFacts {
  return {
    // Only a draft may lack an amount, and no money rule reads a draft's.
    requestedPence: app.requestedPence ?? 0,
    awardedPence: app.awardedPence,
    conditions: app.conditions,
    returnToState: app.returnToState,
    disbursedPence: app.disbursedPence,
    returnedPence: app.returnedPence,
    underspendWaived: app.underspendWaived,
    payments: payments.map((p) => ({ id: p.id, amountPence: p.amountPence, state: p.state })),
    reports: reports.map((r) => ({ id: r.id, kind: r.kind, state: r.state, spendToDatePence: r.spendToDatePence })),
  };
}

/** Sequential, not parallel: inside a transaction both queries share one connection. */
export async function loadPaymentsAndReports(m: EntityManager, applicationId: string): Promise<{ payments: PaymentEntity[]; reports: MonitoringReportEntity[] }> {
  const payments = await m.getRepository(PaymentEntity).find({ where: { applicationId }, order: { tranche: 'ASC' } });
  const reports = await m.getRepository(MonitoringReportEntity).find({ where: { applicationId }, order: { dueOn: 'ASC' } });
  return { payments, reports };
}

export function fundRules(fund: FundEntity): FundRules {
  return {
    paymentSchedule: fund.paymentSchedule,
    reportSchedule: fund.reportSchedule,
  };
}
