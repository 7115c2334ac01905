import { TransitionContext } from './transition-types';

/** A context in which every guard of the machine passes, for tests to narrow per action. */
export function generousContext(overrides: Partial<TransitionContext['application']> = {}): TransitionContext {
  return {
    application: {
      requestedPence: 500_000,
      awardedPence: 400_000,
      conditions: [],
      returnToState: 'risk_assessment',
      disbursedPence: 400_000,
      returnedPence: 0,
      underspendWaived: false,
      payments: [{ id: 'p1', amountPence: 400_000, state: 'scheduled' }],
      reports: [
        { id: 'r-due', kind: 'interim', state: 'due', spendToDatePence: null },
        { id: 'r-final', kind: 'final', state: 'submitted', spendToDatePence: 350_000 },
      ],
      ...overrides,
    },
    fund: {
      paymentSchedule: [
        { percent: 50, trigger: 'on_acceptance' },
        { percent: 50, trigger: 'on_interim_report_accepted' },
      ],
      reportSchedule: [{ kind: 'final', dueAfter: 'P12M' }],
    },
    money: {
      grantablePence: 2_550_000,
      balances: {
        allocatedPence: 3_000_000,
        feePence: 450_000,
        committedPence: 0,
        disbursedPence: 0,
        returnedPence: 0,
      },
      maxPerOrganisationPence: 500_000,
      organisationAwardedPence: 0,
    },
  };
}
