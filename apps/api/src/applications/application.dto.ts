import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { actionCommandProblems, CONDITION_BLOCKS, isLifecycleAction, LifecycleCommand, UseCaseError } from '@sg/domain';
import type { ConditionBlocks } from '@sg/domain';

const MAX_PENCE = 100_000_000_000;

export class CreateApplicationDto {
  @IsUUID() fundId: string;
  @IsUUID() organisationId: string;
  /** For a fund with a form, the answer to the question bound to the title (and likewise below). */
  @IsOptional() @IsString() @Length(1, 200) title?: string;
  @IsOptional() @IsString() @Length(0, 5000) summary?: string;
  /** The amount asked for, in pence. */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PENCE) requestedPence?: number;
  /** The applicant's own view of the proposed activity's risk tier (docs/domain.md §5). */
  @IsOptional() @IsIn(['low', 'medium', 'high']) activityRiskTier?: 'low' | 'medium' | 'high';
  /** Answers to the fund's form by question id (see GET /api/v1/funds/{id}/form); any invalid answer refuses the whole request. */
  @IsOptional() @IsObject() answers?: Record<string, unknown>;
}

export class UpdateApplicationDto {
  @IsOptional() @IsString() @Length(1, 200) title?: string;
  @IsOptional() @IsString() @Length(0, 5000) summary?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PENCE) requestedPence?: number;
  @IsOptional() @IsIn(['low', 'medium', 'high']) activityRiskTier?: 'low' | 'medium' | 'high';
  /** Answers to merge into the draft by question id; null clears one. Any invalid answer refuses the whole request. */
  @IsOptional() @IsObject() answers?: Record<string, unknown>;
}

export class ReportAnswersDto {
  /** Answers by question id of the fund's report form; null clears one. */
  @IsObject() answers: Record<string, unknown>;
}

export class ListApplicationsQuery {
  @IsOptional() @IsUUID() fundId?: string;
  @IsOptional() @IsString() @Length(1, 40) state?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class ConditionDetailDto {
  @IsString() @Length(1, 1000) text: string;
  /** What the officer needs to see to sign it off. */
  @IsOptional() @IsString() @Length(0, 1000) evidenceRequired?: string;
  /** What stays blocked until it is met: offer_acceptance, first_payment (default) or nothing. */
  @IsOptional() @IsIn(CONDITION_BLOCKS) blocks?: ConditionBlocks;
  /** YYYY-MM-DD; defaults to a month after the decision. */
  @IsOptional() @IsISO8601({ strict: true }) dueOn?: string;
  /** Where it came from, e.g. "area:risk_identification". */
  @IsOptional() @IsString() @Length(1, 100) source?: string;
}

/**
 * The body of a lifecycle action, as documented: every action's fields together. Each action takes
 * only its own (the `x-action-commands` of the operation lists each action's schema, from the
 * domain's ACTION_COMMANDS); a field of another action is refused with 400, and the lifecycle
 * machine says which are required and answers 422 if one is missing.
 */
export class ActionCommandDto {
  /** Why: required for mark-ineligible, reject, withdraw-offer, suspend, terminate, waive-underspend, extend-offer. */
  @IsOptional() @IsString() @Length(1, 5000) reason?: string;
  /** request-information: the questions; provide-information: the answer. */
  @IsOptional() @IsString() @Length(1, 5000) message?: string;
  /** approve: the amount awarded; record-return: the amount returned (pence). */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PENCE) amountPence?: number;
  /** approve: conditions to meet before the grant becomes active (tracked, blocking the first payment). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  conditions?: string[];
  /** approve: conditions with what they block, the evidence required and a due date (e.g. the assessment's proposed conditions). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ConditionDetailDto)
  conditionDetails?: ConditionDetailDto[];
  /** terminate: the amount to claw back (pence). */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PENCE) clawbackPence?: number;
  /** release-payment: which payment. */
  @IsOptional() @IsUUID() paymentId?: string;
  /** release-payment / record-return: the finance reference. */
  @IsOptional() @IsString() @Length(1, 100) reference?: string;
  /** submit-report / accept-report / return-report: which report. */
  @IsOptional() @IsUUID() reportId?: string;
  /** submit-report: what happened. */
  @IsOptional() @IsString() @Length(1, 5000) narrative?: string;
  /** submit-report: spend to date (pence). */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_PENCE) spendToDatePence?: number;
  /** accept-offer: who signs for the organisation. */
  @IsOptional() @IsString() @Length(1, 200) signatoryName?: string;
  /** accept-offer: the signatory's role in the organisation, e.g. "Chair of trustees". */
  @IsOptional() @IsString() @Length(1, 200) signatoryRole?: string;
  /** accept-offer: the signatory agrees to the offer's terms (must be true). */
  @IsOptional() @IsBoolean() acceptsTerms?: boolean;
  /** extend-offer: the offer's new last day (YYYY-MM-DD, London), after the current one. */
  @IsOptional() @IsISO8601({ strict: true }) offerExpiresOn?: string;
  /** return-report: what to change. */
  @IsOptional() @IsString() @Length(1, 5000) comments?: string;
}

export class BulkActionDto {
  /** The applications to act on (1–100); each is handled on its own. */
  @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true }) applicationIds: string[];
  /** mark-ineligible: the reason every applicant will read. */
  @IsOptional() @IsString() @Length(1, 5000) reason?: string;
  /** request-information: the questions. */
  @IsOptional() @IsString() @Length(1, 5000) message?: string;
}

/**
 * The body of `action`, checked against that action's own command schema: unknown fields and fields
 * of the wrong shape are refused with 400 naming each field. Presence is the machine's to judge.
 */
export function actionCommandBody(action: string, body: unknown): LifecycleCommand {
  if (!isLifecycleAction(action))
    throw new UseCaseError('not_found', 'unknown_action', `There is no action called "${action}"`);
  const problems = actionCommandProblems(action, body);
  if (problems.length > 0)
    throw new UseCaseError('invalid', 'validation_failed', 'Some fields are not valid', problems);
  return (body ?? {}) as LifecycleCommand;
}

/** An example body per action with fields, for the API description. */
export const ACTION_BODY_EXAMPLES: Record<string, { summary: string; value: Record<string, unknown> }> = {
  approve: { summary: 'approve', value: { amountPence: 300000, conditions: ['Send your safeguarding policy'] } },
  reject: {
    summary: 'reject (also mark-ineligible, withdraw-offer, suspend, waive-underspend)',
    value: { reason: 'Outside the fund priorities' },
  },
  'request-information': {
    summary: 'request-information / provide-information',
    value: { message: 'Who is your safeguarding lead?' },
  },
  'accept-offer': {
    summary: 'accept-offer',
    value: { signatoryName: 'Amina Khan', signatoryRole: 'Chair of trustees', acceptsTerms: true },
  },
  'release-payment': {
    summary: 'release-payment',
    value: { paymentId: '6f1c2d1e-8a4b-4c1d-9e2f-0a1b2c3d4e5f', reference: 'BACS-2041' },
  },
  'return-report': {
    summary: 'return-report',
    value: { reportId: '6f1c2d1e-8a4b-4c1d-9e2f-0a1b2c3d4e5f', comments: 'Add the spend by budget line' },
  },
  terminate: { summary: 'terminate', value: { reason: 'Funds misused', clawbackPence: 50000 } },
  'record-return': { summary: 'record-return', value: { amountPence: 25000, reference: 'BACS-3001' } },
};
