import { CapabilityOutcome, ConditionBlocks, FormDefinition, RiskTier, ScoredAssessment } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { LATEST_DECLARATION } from '../conflicts/conflict-declarations.store';

type Queryable = Pick<EntityManager, 'query'>;

/** An instant as the API writes it (ISO 8601, milliseconds, UTC), from a column `x`. */
const iso = (x: string) => `to_char(${x} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Everything around one application that the desk's application page shows, as one statement reads it. */
export interface DeskApplicationRows {
  /** The fund's name when the reader works on the fund as a non-funder partner; '' otherwise. */
  fundName: string;
  /** Organisations the applying one may duplicate, either way round. */
  duplicates: { organisationId: string; name: string; reason: string }[];
  /** The definition of the form the application was started on (null without one, or if not found). */
  form: FormDefinition | null;
  files: {
    id: string;
    questionId: string;
    name: string;
    contentType: string;
    sizeBytes: number;
    uploadedAt: string;
  }[];
  /** The timeline, oldest first, with the event's data (the conversation's messages live there). */
  events: {
    id: number;
    action: string;
    from: string | null;
    to: string | null;
    actorRole: string;
    reason: string | null;
    data: Record<string, unknown>;
    at: string;
  }[];
  eligibility: { checkedAt: string; checks: { id: string; passed: boolean; reason: string }[] } | null;
  assessment: {
    riskTier: RiskTier;
    outcome: CapabilityOutcome;
    proposedConditions: ScoredAssessment['proposedConditions'];
    countersignRequired: boolean;
    assessedBy: { userId: string; displayName: string };
    countersignedBy: { userId: string; displayName: string } | null;
  } | null;
  /** The reader's own conflict-of-interest declaration: true, false, or null when none. */
  declaredConflict: boolean | null;
  conditions: {
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
  }[];
  /** Each monitoring report's form and answers, in the application's report order (due date, id). */
  reports: { id: string; form: FormDefinition | null; answers: Record<string, unknown> }[];
  notes: { id: number; body: string; author: { userId: string; displayName: string }; at: string }[];
}

/**
 * One statement: what surrounds the application that the desk's page shows, each child table as
 * its own `json_agg` so that no table's rows multiply another's, and every report's form read with
 * the reports (no statement per report). The caller has already checked that the reader may see
 * the application, and decides what of it the reader may be shown.
 */
export async function readDeskApplicationRows(
  m: Queryable,
  applicationId: string,
  reader: { userId: string; partnerOrganisationId: string | null },
): Promise<DeskApplicationRows> {
  const [row] = await m.query(
    `SELECT
       coalesce((SELECT f.name FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id
                 WHERE f.id = a.fund_id AND fp.partner_organisation_id = $3 AND fp.role <> 'funder' LIMIT 1), '') AS fund_name,
       (SELECT coalesce(json_agg(d), '[]') FROM (
          SELECT f.matches_organisation_id AS "organisationId", o.name, f.reason FROM organisation_duplicate_flags f
            JOIN organisations o ON o.id = f.matches_organisation_id WHERE f.organisation_id = a.organisation_id
          UNION
          SELECT f.organisation_id, o.name, f.reason FROM organisation_duplicate_flags f
            JOIN organisations o ON o.id = f.organisation_id WHERE f.matches_organisation_id = a.organisation_id) d) AS duplicates,
       (SELECT af.definition FROM application_forms af WHERE af.key = a.form_key AND af.version = a.form_version) AS form,
       (SELECT coalesce(json_agg(json_build_object('id', af.id, 'questionId', af.question_id, 'name', af.original_name,
                 'contentType', af.content_type, 'sizeBytes', af.size_bytes, 'uploadedAt', ${iso('af.created_at')})
                 ORDER BY af.created_at), '[]')
          FROM application_files af WHERE af.application_id = a.id) AS files,
       (SELECT coalesce(json_agg(json_build_object('id', e.id, 'action', e.action, 'from', e.from_state, 'to', e.to_state,
                 'actorRole', e.actor_role, 'reason', e.reason, 'data', e.data, 'at', ${iso('e.created_at')}) ORDER BY e.id), '[]')
          FROM events e WHERE e.application_id = a.id) AS events,
       a.eligibility,
       (SELECT json_build_object('riskTier', s.risk_tier, 'outcome', s.outcome, 'proposedConditions', s.proposed_conditions,
                 'countersignRequired', s.countersign_required,
                 'assessedBy', json_build_object('userId', s.assessed_by, 'displayName', ab.display_name),
                 'countersignedBy', CASE WHEN s.countersigned_by IS NULL THEN NULL
                   ELSE json_build_object('userId', s.countersigned_by, 'displayName', cb.display_name) END)
          FROM assessments s JOIN rubrics r ON r.key = s.rubric_key AND r.version = s.rubric_version
          JOIN users ab ON ab.id = s.assessed_by LEFT JOIN users cb ON cb.id = s.countersigned_by
          WHERE s.application_id = a.id) AS assessment,
       ${LATEST_DECLARATION('a.id', '$2')} AS declared_conflict,
       (SELECT coalesce(json_agg(json_build_object('id', c.id, 'text', c.text, 'evidenceRequired', c.evidence_required,
                 'blocks', c.blocks, 'dueOn', to_char(c.due_on, 'YYYY-MM-DD'), 'status', c.status,
                 'resolutionNote', c.resolution_note,
                 'resolvedBy', CASE WHEN c.resolved_by IS NULL THEN NULL
                   ELSE json_build_object('userId', c.resolved_by, 'displayName', u.display_name) END,
                 'resolvedAt', ${iso('c.resolved_at')}, 'source', c.source) ORDER BY c.position), '[]')
          FROM conditions c LEFT JOIN users u ON u.id = c.resolved_by WHERE c.application_id = a.id) AS conditions,
       (SELECT coalesce(json_agg(json_build_object('id', mr.id, 'form', rf.definition, 'answers', mr.answers)
                 ORDER BY mr.due_on, mr.id), '[]')
          FROM monitoring_reports mr LEFT JOIN application_forms rf ON rf.key = mr.form_key AND rf.version = mr.form_version
          WHERE mr.application_id = a.id) AS reports,
       (SELECT coalesce(json_agg(json_build_object('id', n.id, 'body', n.body,
                 'author', json_build_object('userId', n.author_user_id, 'displayName', nu.display_name),
                 'at', ${iso('n.created_at')}) ORDER BY n.id), '[]')
          FROM internal_notes n JOIN users nu ON nu.id = n.author_user_id WHERE n.application_id = a.id) AS notes
     FROM applications a WHERE a.id = $1`,
    [applicationId, reader.userId, reader.partnerOrganisationId],
  );
  if (!row) throw new Error(`application ${applicationId} vanished while its desk page was read`);
  return {
    fundName: row.fund_name,
    duplicates: row.duplicates,
    form: row.form ?? null,
    files: row.files,
    events: row.events,
    eligibility: row.eligibility ?? null,
    assessment: row.assessment ?? null,
    declaredConflict: row.declared_conflict === null ? null : row.declared_conflict === true,
    conditions: row.conditions,
    reports: row.reports.map((r: { id: string; form: FormDefinition | null; answers: Record<string, unknown> }) => ({
      id: r.id,
      form: r.form ?? null,
      answers: r.answers,
    })),
    notes: row.notes,
  };
}
