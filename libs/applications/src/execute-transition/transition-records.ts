import { RecordKind, Transition } from '@sg/domain';
import { ApplicationEntity, FundEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { recordEligibility } from '../assessment/eligibility-at-submission';
import { ConditionSpec, recordAwardConditions } from '../conditions/award-conditions';

export interface RecordInput {
  app: ApplicationEntity;
  fund: FundEntity;
  transition: Transition;
  /** The conditions the command set, as tracked records. */
  conditionSpecs: readonly ConditionSpec[];
  now: Date;
}

/** Each record a transition may ask for, written by its own store in the transition's transaction. */
const WRITERS: Record<RecordKind, (m: EntityManager, r: RecordInput) => Promise<void>> = {
  // Screening's automatic checks, computed as the application is submitted.
  'eligibility-at-submission': (m, r) => recordEligibility(m, r.app, r.fund, r.now),
  // The award's conditions, tracked one by one.
  'award-conditions': (m, r) => recordAwardConditions(m, r.app.id, r.conditionSpecs, r.now),
};

/** Writes the records the transition names, in the order named. */
export async function writeRecords(m: EntityManager, r: RecordInput): Promise<void> {
  for (const kind of r.transition.writes.records) await WRITERS[kind](m, r);
}
