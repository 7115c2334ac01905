import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  addIsoDuration,
  blocksPayment,
  can,
  CONDITION_BLOCKS,
  ConditionBlocks,
  londonDate,
  UseCaseError,
} from '@sg/domain';
import { DataSource, EntityManager } from 'typeorm';
import { enqueueNotifications } from '@sg/notifications';
import { ApplicationAccess } from '../application-access';
import * as store from './conditions.store';

/** A condition as the decision sets it. Plain strings are conditions on the grant starting. */
export interface ConditionSpec {
  text: string;
  evidenceRequired?: string;
  blocks?: ConditionBlocks;
  /** YYYY-MM-DD; defaults to a month after the decision. */
  dueOn?: string;
  /** Where it came from, e.g. "area:risk_identification" from the assessment. */
  source?: string;
}

export interface ConditionView {
  id: string;
  text: string;
  evidenceRequired: string;
  blocks: ConditionBlocks;
  dueOn: string | null;
  status: 'open' | 'met' | 'waived';
  resolutionNote: string | null;
  resolvedBy: { userId: string; displayName: string } | null;
  resolvedAt: string | null;
  source: string | null;
}

/** The specs of an approval, checked; problems name the field. */
export function checkConditionSpecs(specs: readonly ConditionSpec[]): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  specs.forEach((c, i) => {
    if (typeof c.text !== 'string' || c.text.trim() === '' || c.text.length > 1000)
      problems.push({
        field: `conditionDetails.${i}.text`,
        message: 'Say what the condition is (up to 1,000 characters)',
      });
    if (c.blocks !== undefined && !(CONDITION_BLOCKS as readonly string[]).includes(c.blocks))
      problems.push({ field: `conditionDetails.${i}.blocks`, message: `One of ${CONDITION_BLOCKS.join(', ')}` });
    if (c.dueOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(c.dueOn))
      problems.push({ field: `conditionDetails.${i}.dueOn`, message: 'A date as YYYY-MM-DD' });
  });
  return problems;
}

/** Writes the approval's conditions as tracked records, in the approving transaction. */
export async function recordAwardConditions(
  m: EntityManager,
  applicationId: string,
  specs: readonly ConditionSpec[],
  decidedAt: Date,
): Promise<void> {
  const defaultDue = londonDate(addIsoDuration(decidedAt, 'P1M'));
  for (const [i, c] of specs.entries()) {
    await store.insertCondition(m, applicationId, i + 1, {
      text: c.text.trim(),
      evidenceRequired: c.evidenceRequired?.trim() ?? '',
      blocks: c.blocks ?? 'first_payment',
      dueOn: c.dueOn ?? defaultDue,
      source: c.source ?? null,
    });
  }
}

/** Conditions on an award: read by whoever may see the application; met or waived by an officer. */
@Injectable()
export class AwardConditions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
  ) {}

  async list(actor: Actor, applicationId: string): Promise<ConditionView[]> {
    await this.access.loadVisible(this.dataSource.manager, actor, applicationId);
    return store.conditionRows(this.dataSource.manager, applicationId);
  }

  /** Marks a condition met (with the evidence seen) or waived (with the reason), signed by the officer. */
  async resolve(
    actor: Actor,
    applicationId: string,
    conditionId: string,
    outcome: 'met' | 'waived',
    note: string,
  ): Promise<ConditionView[]> {
    if (!can(actor.role, 'sign-off-conditions'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only grant officers sign off conditions');
    const text = note.trim();
    if (text === '' || text.length > 2000) {
      const message = outcome === 'met' ? 'Say what evidence you saw' : 'Say why the condition is waived';
      throw new UseCaseError('invalid', 'validation_failed', message, [{ field: 'note', message }]);
    }
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.loadVisible(m, actor, applicationId, true);
      if (!['offered', 'conditions_pending', 'active', 'suspended'].includes(app.state)) {
        throw new UseCaseError(
          'conflict',
          'not_awarded',
          `The application is ${app.state}; conditions are signed off once awarded`,
        );
      }
      const condition = await store.conditionState(m, app.id, conditionId);
      if (!condition) throw UseCaseError.notFound('The condition');
      // Money waits on these: only the managing VDA's officers may set one aside.
      if (outcome === 'waived' && blocksPayment(condition.blocks) && !can(actor.role, 'waive-payment-conditions'))
        throw new UseCaseError(
          'forbidden',
          'waiver_not_permitted',
          'Only the managing VDA’s grant officers waive a condition that holds up payment; it can still be met',
        );
      if (!(await store.resolveCondition(m, app.id, conditionId, outcome, text, actor.userId)))
        throw new UseCaseError('conflict', 'condition_resolved', `This condition is already ${condition.status}`);
      // Signing off a condition is on the record, and the applicant hears of it.
      const conditionText = await store.conditionText(m, conditionId);
      const eventId = await store.recordConditionEvent(m, app, actor, {
        action: outcome === 'met' ? 'meet-condition' : 'waive-condition',
        reason: text,
        data: { conditionId, text: conditionText },
      });
      await enqueueNotifications(
        m,
        {
          eventId,
          applicationId: app.id,
          fundId: app.fundId,
          organisationId: app.organisationId,
          areaCode: app.areaCode,
        },
        [{ template: 'condition-resolved', audience: 'applicant' }],
      );
      return store.conditionRows(m, app.id);
    });
  }
}
