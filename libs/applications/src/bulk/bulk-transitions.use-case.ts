import { Injectable } from '@nestjs/common';
import { Actor, isLifecycleAction, LifecycleCommand, UseCaseError } from '@sg/domain';
import { ExecuteTransitionUseCase } from '../execute-transition/execute-transition.use-case';

export interface BulkItemResult {
  applicationId: string;
  ok: boolean;
  to?: string;
  code?: string;
  message?: string;
}

/** Routine actions for many applications at once; anything that moves money is done one by one. */
export const BULK_ACTIONS = ['start-screening', 'confirm-eligible', 'mark-ineligible', 'request-information'] as const;

/**
 * One action, one command, many applications: each goes through the lifecycle machine in its own
 * transaction, exactly as if taken alone, so one refusal (wrong state, not visible) never blocks or
 * undoes the others. The result says, per application, what happened.
 */
@Injectable()
export class BulkTransitionsUseCase {
  constructor(private readonly transitions: ExecuteTransitionUseCase) {}

  async execute(
    actor: Actor,
    action: string,
    applicationIds: readonly string[],
    command: LifecycleCommand,
  ): Promise<BulkItemResult[]> {
    if (!isLifecycleAction(action) || !(BULK_ACTIONS as readonly string[]).includes(action)) {
      throw new UseCaseError(
        'not_found',
        'unknown_bulk_action',
        `"${action}" cannot be taken in bulk; bulk actions: ${BULK_ACTIONS.join(', ')}`,
      );
    }
    const ids = [...new Set(applicationIds)];
    if (ids.length === 0 || ids.length > 100)
      throw new UseCaseError('invalid', 'validation_failed', 'Choose 1 to 100 applications', [
        { field: 'applicationIds', message: 'between 1 and 100' },
      ]);
    const results: BulkItemResult[] = [];
    for (const id of ids) {
      try {
        const done = await this.transitions.execute(actor, id, action, command);
        results.push({ applicationId: id, ok: true, to: done.to });
      } catch (err) {
        if (!(err instanceof UseCaseError)) throw err;
        results.push({ applicationId: id, ok: false, code: err.code, message: err.message });
      }
    }
    return results;
  }
}
