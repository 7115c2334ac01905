import fc from 'fast-check';
import { ACTOR_ROLES } from './actor-role';
import { APPLICATION_STATES, ApplicationState } from './application-state';
import { allowedActions, decideTransition } from './decide-transition';
import { LIFECYCLE_ACTIONS } from './lifecycle-action';
import {
  applyLedgerEntry,
  EMPTY_BALANCES,
  FundBalances,
  fundInvariantBreaches,
  LedgerEntryDraft,
  balancesFromLedger,
  awardedFromLedger,
} from '../money/fund-money';
import { ApplicationFacts, TransitionContext } from './transition-types';

/**
 * A model of one fund in memory: applications from a few organisations, driven by random
 * actions from random roles with random amounts. After every step no state is undefined and the
 * money invariants of docs/domain.md §4 hold, however the sequence runs.
 */
const GRANTABLE = 2_550_000;
const CAP = 500_000;

interface ModelApplication {
  state: ApplicationState;
  organisation: number;
  facts: ApplicationFacts;
  ledger: LedgerEntryDraft[];
}

const step = fc.record({
  app: fc.nat(7),
  action: fc.constantFrom(...LIFECYCLE_ACTIONS),
  role: fc.constantFrom(...ACTOR_ROLES),
  amountPence: fc.oneof(fc.integer({ min: -10, max: 700_000 }), fc.constantFrom(0, 1, 500_000, 250_000)),
  pick: fc.nat(3),
  preferAllowed: fc.boolean(),
});

function contextOf(apps: ModelApplication[], a: ModelApplication, balances: FundBalances): TransitionContext {
  const orgLedger = apps.filter((x) => x.organisation === a.organisation).flatMap((x) => x.ledger);
  return {
    application: a.facts,
    fund: {
      paymentSchedule: [
        { percent: 50, trigger: 'on_acceptance' },
        { percent: 50, trigger: 'on_interim_report_accepted' },
      ],
      reportSchedule: [
        { kind: 'interim', dueAfter: 'P6M' },
        { kind: 'final', dueAfter: 'P12M' },
      ],
    },
    money: {
      grantablePence: GRANTABLE,
      balances,
      maxPerOrganisationPence: CAP,
      organisationAwardedPence: awardedFromLedger(orgLedger),
    },
  };
}

describe('the lifecycle machine under random action sequences', () => {
  it('never reaches an undefined state and never breaks the money invariants', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), (steps) => {
        let nextId = 0;
        const apps: ModelApplication[] = Array.from({ length: 8 }, (_, i) => ({
          state: 'draft',
          organisation: i % 3,
          ledger: [],
          facts: {
            requestedPence: 100_000 + i * 60_000,
            awardedPence: null,
            conditions: [],
            returnToState: null,
            disbursedPence: 0,
            returnedPence: 0,
            underspendWaived: false,
            payments: [],
            reports: [],
          },
        }));
        let balances = EMPTY_BALANCES;
        const fundLedger: LedgerEntryDraft[] = [];

        for (const s of steps) {
          const a = apps[s.app];
          const ctx = contextOf(apps, a, balances);
          // Half the time take an action the machine offers, so sequences get deep into the lifecycle.
          let action: string = s.action;
          let role = s.role;
          if (s.preferAllowed) {
            const options = ACTOR_ROLES.flatMap((r) => allowedActions(a.state, r, ctx).map((act) => [r, act] as const));
            if (options.length > 0) [role, action] = options[s.pick % options.length];
          }
          const payment = a.facts.payments.find((p) => p.state === 'scheduled');
          const report =
            a.facts.reports.find((r) => r.state === 'submitted') ??
            a.facts.reports.find((r) => r.state === 'due' || r.state === 'returned');
          const r = decideTransition({
            state: a.state,
            role,
            action,
            context: ctx,
            command: {
              amountPence: s.amountPence,
              clawbackPence: Math.max(0, s.amountPence % 300_000),
              spendToDatePence: Math.max(0, s.amountPence - 100_000),
              conditions: s.pick === 0 ? ['Name a safeguarding lead'] : [],
              reason: 'because',
              message: 'words',
              comments: 'more please',
              narrative: 'what happened',
              reference: 'REF',
              paymentId: payment?.id,
              reportId: report?.id,
              signatoryName: 'A. Khan',
              signatoryRole: 'Chair',
              acceptsTerms: true,
            },
          });
          if (!r.ok) continue;

          // Apply the effects as the persistence layer would.
          expect(APPLICATION_STATES).toContain(r.to);
          a.state = r.to;
          const f = a.facts as { -readonly [K in keyof ApplicationFacts]: ApplicationFacts[K] };
          Object.assign(f, r.patch);
          for (const e of r.ledger) {
            balances = applyLedgerEntry(balances, e);
            fundLedger.push(e);
            a.ledger.push(e);
            if (e.kind === 'disbursement') f.disbursedPence += e.amountPence;
            if (e.kind === 'return') f.returnedPence += e.amountPence;
          }
          for (const p of r.payments) {
            if (p.op === 'schedule')
              f.payments = [...f.payments, { id: `p${nextId++}`, amountPence: p.amountPence, state: 'scheduled' }];
            if (p.op === 'mark-paid')
              f.payments = f.payments.map((x) => (x.id === p.paymentId ? { ...x, state: 'paid' } : x));
            if (p.op === 'cancel-scheduled')
              f.payments = f.payments.map((x) => (x.state === 'scheduled' ? { ...x, state: 'cancelled' } : x));
          }
          for (const rep of r.reports) {
            if (rep.op === 'schedule')
              f.reports = [...f.reports, { id: `r${nextId++}`, kind: rep.kind, state: 'due', spendToDatePence: null }];
            if (rep.op === 'submit')
              f.reports = f.reports.map((x) =>
                x.id === rep.reportId ? { ...x, state: 'submitted', spendToDatePence: rep.spendToDatePence } : x,
              );
            if (rep.op === 'accept')
              f.reports = f.reports.map((x) => (x.id === rep.reportId ? { ...x, state: 'accepted' } : x));
            if (rep.op === 'return')
              f.reports = f.reports.map((x) => (x.id === rep.reportId ? { ...x, state: 'returned' } : x));
            if (rep.op === 'cancel-open')
              f.reports = f.reports.map((x) =>
                x.state === 'due' || x.state === 'returned' ? { ...x, state: 'cancelled' } : x,
              );
          }

          // The invariants, after every step.
          expect(fundInvariantBreaches(GRANTABLE, balances)).toEqual([]);
          expect(balancesFromLedger(fundLedger)).toEqual(balances);
          for (let org = 0; org < 3; org++) {
            expect(
              awardedFromLedger(apps.filter((x) => x.organisation === org).flatMap((x) => x.ledger)),
            ).toBeLessThanOrEqual(CAP);
          }
          for (const x of apps) {
            const award = awardedFromLedger(x.ledger);
            expect(award).toBeGreaterThanOrEqual(0);
            expect(x.facts.disbursedPence).toBeLessThanOrEqual(x.facts.awardedPence ?? 0);
            expect(x.facts.returnedPence).toBeLessThanOrEqual(x.facts.disbursedPence);
            // Once a grant has ended, nothing stays promised to it.
            if (
              ['declined', 'offer_expired', 'terminated', 'closed'].includes(x.state) ||
              (x.state === 'withdrawn' && x.facts.awardedPence)
            ) {
              expect(award).toBe(x.facts.disbursedPence);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
