import { AnswerValue, LifecycleAction } from '@sg/domain';
import { ApplicationEntity, MonitoringReportEntity, PaymentEntity } from '@sg/persistence';

/** An application as the API shows it: always with its state and what this caller may do next. */
export interface ApplicationView {
  id: string;
  reference: string;
  fundId: string;
  organisation: { id: string; name: string };
  state: string;
  version: number;
  allowedActions: LifecycleAction[];
  title: string;
  summary: string;
  /** Null only while a draft has not said. */
  requestedPence: number | null;
  areaCode: string;
  activityRiskTier: string | null;
  awardedPence: number | null;
  conditions: string[];
  disbursedPence: number;
  returnedPence: number;
  underspendWaived: boolean;
  offerExpiresAt: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  acceptedAt: string | null;
  /** The form version this application was started on, and its valid answers by question id. */
  form: { key: string; version: number } | null;
  answers: Record<string, AnswerValue>;
  /** Present (true) when the reader declared a conflict of interest: what the application holds is withheld. */
  conflictOfInterest?: true;
  createdAt: string;
  updatedAt: string;
  /** `pending` payments wait for their trigger (`trigger`), and have no due date until it happens. */
  payments: {
    id: string;
    tranche: number;
    amountPence: number;
    state: string;
    trigger: string;
    dueOn: string | null;
    paidAt: string | null;
    reference: string | null;
  }[];
  reports: {
    id: string;
    kind: string;
    dueOn: string;
    state: string;
    narrative: string | null;
    spendToDatePence: number | null;
    comments: string | null;
    submittedAt: string | null;
  }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toApplicationView(
  app: ApplicationEntity,
  organisationName: string,
  allowedActions: LifecycleAction[],
  payments: PaymentEntity[],
  reports: MonitoringReportEntity[],
): ApplicationView {
  return {
    id: app.id,
    reference: app.reference,
    fundId: app.fundId,
    organisation: { id: app.organisationId, name: organisationName },
    state: app.state,
    version: app.version,
    allowedActions,
    title: app.title,
    summary: app.summary,
    requestedPence: app.requestedPence,
    areaCode: app.areaCode,
    activityRiskTier: app.activityRiskTier,
    awardedPence: app.awardedPence,
    conditions: app.conditions,
    disbursedPence: app.disbursedPence,
    returnedPence: app.returnedPence,
    underspendWaived: app.underspendWaived,
    offerExpiresAt: iso(app.offerExpiresAt),
    submittedAt: iso(app.submittedAt),
    decidedAt: iso(app.decidedAt),
    acceptedAt: iso(app.acceptedAt),
    form: app.formKey && app.formVersion ? { key: app.formKey, version: app.formVersion } : null,
    answers: app.answers,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
    payments: payments.map((p) => ({
      id: p.id,
      tranche: p.tranche,
      amountPence: p.amountPence,
      state: p.state,
      trigger: p.trigger,
      dueOn: p.dueOn,
      paidAt: iso(p.paidAt),
      reference: p.reference,
    })),
    reports: reports.map((r) => ({
      id: r.id,
      kind: r.kind,
      dueOn: r.dueOn,
      state: r.state,
      narrative: r.narrative,
      spendToDatePence: r.spendToDatePence,
      comments: r.comments,
      submittedAt: iso(r.submittedAt),
    })),
  };
}

/**
 * The application as a list shows it to someone who declared a conflict of interest in it: that it
 * exists (reference, fund, organisation, state, dates), with nothing it holds and nothing to do.
 */
export function withheldForConflict(view: ApplicationView): ApplicationView {
  return {
    ...view,
    conflictOfInterest: true,
    allowedActions: [],
    title: '',
    summary: '',
    activityRiskTier: null,
    conditions: [],
    answers: {},
    payments: [],
    reports: [],
  };
}
