import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  allQuestions,
  areaResults,
  can,
  declarationRefusal,
  AreaResult,
  CapabilityOutcome,
  OUTCOMES,
  RISK_TIERS,
  RiskTier,
  Rubric,
  scoreAssessment,
  scoreProblems,
  UseCaseError,
} from '@sg/domain';
import { ApplicationEntity } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { declaredConflict } from '../conflicts/conflict-declarations';
import {
  applicationEligibility,
  assessmentRow,
  lockAssessmentSignatures,
  markCountersigned,
  organisationForAssessment,
  upsertAssessment,
} from './assessments.store';
import { formDefinition } from './eligibility.store';
import { latestRubricForFund } from './rubrics';

export interface AssessmentInput {
  /** The officer's view of the activity's tier; defaults to the applicant's declaration. */
  riskTier?: RiskTier;
  scores: Record<string, unknown>;
  /** Evidence notes by area id. */
  notes?: Record<string, string>;
  /** An outcome other than the computed one, with the reason (required). */
  overrideOutcome?: CapabilityOutcome;
  overrideReason?: string;
  /** The amount the assessor recommends the panel awards, in pence. */
  recommendedPence?: number;
}

export interface AssessmentView {
  applicationId: string;
  eligibility: { checkedAt: string; checks: { id: string; passed: boolean; reason: string }[] } | null;
  rubric: {
    key: string;
    version: number;
    title: string;
    areas: { id: string; title: string; levels: string[] }[];
    tiers: Rubric['tiers'];
  } | null;
  declaredRiskTier: string | null;
  assessment: {
    riskTier: RiskTier;
    scores: Record<string, number>;
    notes: Record<string, string>;
    computedOutcome: CapabilityOutcome;
    outcome: CapabilityOutcome;
    overrideReason: string | null;
    areas: AreaResult[];
    proposedConditions: ReturnType<typeof scoreAssessment>['proposedConditions'];
    countersignRequired: boolean;
    recommendedPence: number | null;
    assessedBy: { userId: string; displayName: string };
    assessedAt: string;
    countersignedBy: { userId: string; displayName: string } | null;
    countersignedAt: string | null;
    version: number;
  } | null;
}

/**
 * The risk-capability assessment (docs/domain.md §5), judged against the proposed activity: the officer
 * confirms the tier and scores the rubric; the outcome and proposed conditions are computed, and
 * may be overridden only with a recorded reason; tiers that need it are countersigned by a second
 * officer. Scoring again after a countersignature needs a new one.
 */
@Injectable()
export class AssessApplicationUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
  ) {}

  async get(actor: Actor, applicationId: string): Promise<AssessmentView> {
    const m = this.dataSource.manager;
    // Assessors and deciders read it; access has already refused anyone who declared a conflict.
    const app = await this.access.loadVisible(m, actor, applicationId);
    if (!can(actor.role, 'screen-and-assess') && !can(actor.role, 'decide-awards'))
      throw UseCaseError.notFound('The assessment');
    return this.view(m, app);
  }

  async save(actor: Actor, applicationId: string, input: AssessmentInput): Promise<AssessmentView> {
    this.requireAssessor(actor);
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.loadVisible(m, actor, applicationId, true);
      this.requireAssessing(app);
      await this.requireDeclared(m, app, actor);
      const rubric = await this.rubricFor(m, app);
      const problems = scoreProblems(rubric, input.scores ?? {});
      const tier = input.riskTier ?? app.activityRiskTier;
      if (!tier || !(RISK_TIERS as readonly string[]).includes(tier))
        problems.push({ field: 'riskTier', message: 'Confirm the activity’s risk tier: low, medium or high' });
      for (const id of Object.keys(input.notes ?? {}))
        if (!rubric.areas.some((a) => a.id === id))
          problems.push({ field: `notes.${id}`, message: 'This rubric has no such area' });
      if (input.overrideOutcome !== undefined && !(OUTCOMES as readonly string[]).includes(input.overrideOutcome))
        problems.push({ field: 'overrideOutcome', message: `One of ${OUTCOMES.join(', ')}` });
      if (
        input.recommendedPence !== undefined &&
        (!Number.isSafeInteger(input.recommendedPence) ||
          input.recommendedPence < 1 ||
          input.recommendedPence > (app.requestedPence ?? 0))
      ) {
        problems.push({ field: 'recommendedPence', message: 'Recommend an amount from 1p up to the amount asked for' });
      }
      if (problems.length > 0)
        throw new UseCaseError(
          'invalid',
          'validation_failed',
          'The assessment needs correcting; nothing was saved',
          problems,
        );
      const scores = input.scores as Record<string, number>;
      const scored = scoreAssessment(rubric, tier as RiskTier, scores, await this.facts(m, app));
      const override = input.overrideOutcome !== undefined && input.overrideOutcome !== scored.outcome;
      const reason = input.overrideReason?.trim() ?? '';
      if (override && reason === '') {
        throw new UseCaseError(
          'unprocessable',
          'override_needs_reason',
          'Say why you are overriding the computed outcome',
          [{ field: 'overrideReason', message: 'Say why you are overriding the computed outcome' }],
        );
      }
      await upsertAssessment(m, {
        applicationId: app.id,
        rubricKey: rubric.key,
        rubricVersion: rubric.version,
        riskTier: tier as RiskTier,
        scores,
        notes: input.notes ?? {},
        computedOutcome: scored.outcome,
        outcome: override ? input.overrideOutcome! : scored.outcome,
        overrideReason: override ? reason : null,
        proposedConditions: scored.proposedConditions,
        countersignRequired: scored.countersignRequired,
        assessedBy: actor.userId,
        recommendedPence: input.recommendedPence ?? null,
      });
      return this.view(m, app);
    });
  }

  /** A second officer confirms the assessment of an activity whose tier needs it. */
  async countersign(actor: Actor, applicationId: string): Promise<AssessmentView> {
    this.requireAssessor(actor);
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.loadVisible(m, actor, applicationId, true);
      this.requireAssessing(app);
      await this.requireDeclared(m, app, actor);
      const a = await lockAssessmentSignatures(m, app.id);
      if (!a) throw new UseCaseError('conflict', 'not_assessed', 'There is no assessment to countersign yet');
      if (!a.countersign_required)
        throw new UseCaseError(
          'conflict',
          'countersign_not_required',
          'This assessment does not need a countersignature',
        );
      if (a.countersigned_by)
        throw new UseCaseError('conflict', 'already_countersigned', 'This assessment is already countersigned');
      if (a.assessed_by === actor.userId)
        throw new UseCaseError(
          'forbidden',
          'countersigner_is_assessor',
          'A second officer must countersign: you made this assessment',
        );
      await markCountersigned(m, app.id, actor.userId);
      return this.view(m, app);
    });
  }

  private requireAssessor(actor: Actor): void {
    if (!can(actor.role, 'screen-and-assess'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only grant officers assess applications');
  }

  /** Scoring, like the machine's judgements, needs the assessor's declaration of no conflict. */
  private async requireDeclared(m: EntityManager, app: ApplicationEntity, actor: Actor): Promise<void> {
    const refusal = declarationRefusal(await declaredConflict(m, app.id, actor.userId));
    if (refusal)
      throw new UseCaseError(
        refusal.code === 'declaration_required' ? 'conflict' : 'forbidden',
        refusal.code,
        refusal.message,
      );
  }

  private requireAssessing(app: ApplicationEntity): void {
    if (app.state !== 'risk_assessment')
      throw new UseCaseError(
        'conflict',
        'not_in_assessment',
        `The application is ${app.state}; it is assessed in risk_assessment`,
      );
  }

  private async rubricFor(m: EntityManager, app: ApplicationEntity): Promise<Rubric> {
    const rubric = await latestRubricForFund(m, app.fundId);
    if (!rubric) throw new UseCaseError('conflict', 'no_rubric', 'This fund has no risk-capability rubric');
    return rubric;
  }

  private async facts(m: EntityManager, app: ApplicationEntity) {
    const org = await organisationForAssessment(m, app.organisationId);
    const definition = app.formKey ? await formDefinition(m, app.formKey, app.formVersion) : undefined;
    const policyQuestions = definition
      ? allQuestions(definition).filter((q) => q.provides === 'safeguarding_policy')
      : [];
    return {
      hasSafeguardingLead: !!org.safeguarding_lead_name,
      hasSafeguardingPolicy: policyQuestions.some((q) => app.answers[q.id] !== undefined),
      ledByAndFor: org.led_by_and_for === true,
    };
  }

  private async view(m: EntityManager, app: ApplicationEntity): Promise<AssessmentView> {
    const row = await assessmentRow(m, app.id);
    const eligibility = await applicationEligibility(m, app.id);
    const rubric: Rubric | null = row ? row.rubric : await latestRubricForFund(m, app.fundId);

    return {
      applicationId: app.id,
      eligibility,
      rubric: rubric
        ? {
            key: rubric.key,
            version: rubric.version,
            title: rubric.title,
            areas: rubric.areas.map((a) => ({ id: a.id, title: a.title, levels: [...a.levels] })),
            tiers: rubric.tiers,
          }
        : null,
      declaredRiskTier: app.activityRiskTier,
      assessment: row
        ? {
            riskTier: row.risk_tier,
            scores: row.scores,
            notes: row.notes,
            computedOutcome: row.computed_outcome,
            outcome: row.outcome,
            overrideReason: row.override_reason,
            areas: areaResults(rubric!, row.risk_tier, row.scores),
            proposedConditions: row.proposed_conditions,
            countersignRequired: row.countersign_required,
            recommendedPence: row.recommended_pence === null ? null : Number(row.recommended_pence),
            assessedBy: { userId: row.assessed_by, displayName: row.assessor_name },
            assessedAt: new Date(row.assessed_at).toISOString(),
            countersignedBy: row.countersigned_by
              ? { userId: row.countersigned_by, displayName: row.countersigner_name }
              : null,
            countersignedAt: row.countersigned_at ? new Date(row.countersigned_at).toISOString() : null,
            version: row.version,
          }
        : null,
    };
  }
}
