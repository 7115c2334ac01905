import { ActorRole } from './actor-role';
import { ApplicationState } from './application-state';
import { isLifecycleAction, LIFECYCLE_ACTIONS, LifecycleAction } from './lifecycle-action';
import { refuse, TRANSITION_TABLE } from './transition-table';
import { FactNeed, TransitionContext, TransitionInput, TransitionResult } from './transition-types';

/**
 * The lifecycle machine: given the state, who acts, the action and what is known, either the next
 * state with every effect to write in the same transaction, or a typed refusal. Pure: no I/O, no
 * clock, no randomness, so the same input always gives the same answer.
 */
export function decideTransition(input: TransitionInput): TransitionResult {
  const { state, role, action, context } = input;
  if (!isLifecycleAction(action)) return refuse('unknown_action', `There is no action called "${action}"`);
  const rule = TRANSITION_TABLE[state][action];
  if (!rule) return refuse('not_allowed_in_state', `"${action}" is not possible while the application is ${state}`);
  if (!rule.roles.includes(role)) return refuse('role_not_permitted', `A ${role} cannot ${action} an application`);
  const blocked = rule.guard?.(context);
  if (blocked) return blocked;
  const outcome = rule.decide(context, input.command ?? {});
  if ('ok' in outcome) return outcome;
  const gated = rule.gate?.(context);
  if (gated) return gated;
  return {
    ok: true,
    from: state,
    to: outcome.to,
    event: { action, from: state, to: outcome.to, reason: outcome.reason ?? null, data: outcome.data ?? {} },
    ledger: outcome.ledger ?? [],
    notifications: outcome.notifications ?? [],
    jobs: outcome.jobs ?? [],
    patch: outcome.patch ?? {},
    payments: outcome.payments ?? [],
    reports: outcome.reports ?? [],
    writes: {
      stamps: rule.writes?.stamps ?? [],
      offerExpiry: rule.writes?.offerExpiry,
      records: rule.writes?.records ?? [],
    },
  };
}

/**
 * What the caller must prepare before asking the machine about this action in this state: the facts
 * only it needs, and whether it moves money (then the fund row is locked and MoneyFacts loaded).
 */
export function actionRequirements(
  state: ApplicationState,
  action: LifecycleAction,
): { needs: readonly FactNeed[]; commitsMoney: boolean } {
  const rule = TRANSITION_TABLE[state][action];
  return { needs: rule?.needs ?? [], commitsMoney: rule?.commitsMoney === true };
}

/**
 * What this caller may do now: the table's actions for the state and role whose guards pass.
 * Checks that need the command (amounts, texts) or the fund's locked balances happen on the action.
 */
export function allowedActions(
  state: ApplicationState,
  role: ActorRole,
  context: TransitionContext,
): LifecycleAction[] {
  return LIFECYCLE_ACTIONS.filter((action) => {
    const rule = TRANSITION_TABLE[state][action];
    return rule !== undefined && rule.roles.includes(role) && !rule.guard?.(context);
  });
}
