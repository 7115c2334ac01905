import { CapabilityOutcome, RiskTier, Rubric, scoreAssessment } from '@sg/domain';
import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** One assessment as written: a new one, or a rescoring that clears any countersignature. */
export interface AssessmentRecord {
  applicationId: string;
  rubricKey: string;
  rubricVersion: number;
  riskTier: string;
  scores: Record<string, number>;
  notes: Record<string, string>;
  computedOutcome: string;
  outcome: string;
  overrideReason: string | null;
  proposedConditions: unknown;
  countersignRequired: boolean;
  assessedBy: string;
  recommendedPence: number | null;
}

/** Writes the application's assessment (one per application; scoring again bumps its version). */
export async function upsertAssessment(m: Queryable, a: AssessmentRecord): Promise<void> {
  await m.query(
    `INSERT INTO assessments (application_id, rubric_key, rubric_version, risk_tier, scores, notes, computed_outcome, outcome, override_reason,
           proposed_conditions, countersign_required, assessed_by, recommended_pence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (application_id) DO UPDATE SET rubric_key = EXCLUDED.rubric_key, rubric_version = EXCLUDED.rubric_version,
           risk_tier = EXCLUDED.risk_tier, scores = EXCLUDED.scores, notes = EXCLUDED.notes, computed_outcome = EXCLUDED.computed_outcome,
           outcome = EXCLUDED.outcome, override_reason = EXCLUDED.override_reason, proposed_conditions = EXCLUDED.proposed_conditions,
           countersign_required = EXCLUDED.countersign_required, assessed_by = EXCLUDED.assessed_by, assessed_at = now(),
           recommended_pence = EXCLUDED.recommended_pence,
           countersigned_by = NULL, countersigned_at = NULL, version = assessments.version + 1`,
    [
      a.applicationId,
      a.rubricKey,
      a.rubricVersion,
      a.riskTier,
      JSON.stringify(a.scores),
      JSON.stringify(a.notes),
      a.computedOutcome,
      a.outcome,
      a.overrideReason,
      JSON.stringify(a.proposedConditions),
      a.countersignRequired,
      a.assessedBy,
      a.recommendedPence,
    ],
  );
}

/** Who assessed and who countersigned, the row locked for the countersignature; undefined when unassessed. */
export async function lockAssessmentSignatures(
  m: Queryable,
  applicationId: string,
): Promise<{ assessed_by: string; countersign_required: boolean; countersigned_by: string | null } | undefined> {
  const [a] = await m.query(
    'SELECT assessed_by, countersign_required, countersigned_by FROM assessments WHERE application_id = $1 FOR UPDATE',
    [applicationId],
  );
  return a;
}

/** Records the countersignature. */
export async function markCountersigned(m: Queryable, applicationId: string, userId: string): Promise<void> {
  await m.query('UPDATE assessments SET countersigned_by = $2, countersigned_at = now() WHERE application_id = $1', [
    applicationId,
    userId,
  ]);
}

/** What the assessment reads about the applying organisation's safeguarding and leadership. */
export async function organisationForAssessment(
  m: Queryable,
  organisationId: string,
): Promise<{ safeguarding_lead_name: string | null; led_by_and_for: boolean | null }> {
  const [org] = await m.query('SELECT safeguarding_lead_name, led_by_and_for FROM organisations WHERE id = $1', [
    organisationId,
  ]);
  return org;
}

/** An assessments row with its rubric and the names of its assessor and countersigner. */
export interface AssessmentRow {
  rubric: Rubric;
  risk_tier: RiskTier;
  scores: Record<string, number>;
  notes: Record<string, string>;
  computed_outcome: CapabilityOutcome;
  outcome: CapabilityOutcome;
  override_reason: string | null;
  proposed_conditions: ReturnType<typeof scoreAssessment>['proposedConditions'];
  countersign_required: boolean;
  recommended_pence: string | number | null;
  assessed_by: string;
  assessor_name: string;
  assessed_at: Date | string;
  countersigned_by: string | null;
  countersigner_name: string;
  countersigned_at: Date | string | null;
  version: number;
}

/** The application's assessment with its rubric and the names of its assessor and countersigner. */
export async function assessmentRow(m: Queryable, applicationId: string): Promise<AssessmentRow | undefined> {
  const [row] = await m.query(
    `SELECT a.*, r.definition AS rubric, ab.display_name AS assessor_name, cb.display_name AS countersigner_name
       FROM assessments a JOIN rubrics r ON r.key = a.rubric_key AND r.version = a.rubric_version
       JOIN users ab ON ab.id = a.assessed_by LEFT JOIN users cb ON cb.id = a.countersigned_by
       WHERE a.application_id = $1`,
    [applicationId],
  );
  return row;
}

/** The eligibility checks recorded on the application at screening, or null. */
export async function applicationEligibility(
  m: Queryable,
  applicationId: string,
): Promise<{ checkedAt: string; checks: { id: string; passed: boolean; reason: string }[] } | null> {
  const [{ eligibility }] = await m.query('SELECT eligibility FROM applications WHERE id = $1', [applicationId]);
  return eligibility;
}
