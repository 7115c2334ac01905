import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officer's desk, first part: eligibility checks stored at submission, versioned rubrics, one
 * risk-capability assessment per application (scores, computed and final outcome, countersignature),
 * internal notes that applicants never see, conditions as tracked objects, and panel members'
 * conflict-of-interest declarations.
 */
export class OfficerAssessment1764200000000 implements MigrationInterface {
  name = 'OfficerAssessment1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rubrics (
        key text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        title text NOT NULL,
        definition jsonb NOT NULL,
        content_sha256 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key, version)
      );

      ALTER TABLE funds
        ADD COLUMN rubric_key text,
        ADD COLUMN eligible_legal_forms text[] NOT NULL DEFAULT '{}';
      ALTER TABLE applications ADD COLUMN eligibility jsonb;

      CREATE TABLE assessments (
        application_id uuid PRIMARY KEY REFERENCES applications (id),
        rubric_key text NOT NULL,
        rubric_version integer NOT NULL,
        risk_tier text NOT NULL CHECK (risk_tier IN ('low', 'medium', 'high')),
        scores jsonb NOT NULL,
        notes jsonb NOT NULL DEFAULT '{}',
        computed_outcome text NOT NULL CHECK (computed_outcome IN ('capable', 'capable_with_conditions', 'not_yet_capable')),
        outcome text NOT NULL CHECK (outcome IN ('capable', 'capable_with_conditions', 'not_yet_capable')),
        override_reason text,
        proposed_conditions jsonb NOT NULL DEFAULT '[]',
        recommended_pence bigint CHECK (recommended_pence > 0),
        countersign_required boolean NOT NULL,
        assessed_by uuid NOT NULL REFERENCES users (id),
        assessed_at timestamptz NOT NULL DEFAULT now(),
        countersigned_by uuid REFERENCES users (id),
        countersigned_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        FOREIGN KEY (rubric_key, rubric_version) REFERENCES rubrics (key, version),
        CONSTRAINT assessments_override_has_reason CHECK (outcome = computed_outcome OR override_reason IS NOT NULL),
        CONSTRAINT assessments_countersigner_differs CHECK (countersigned_by IS NULL OR countersigned_by <> assessed_by)
      );

      CREATE TABLE internal_notes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES applications (id),
        author_user_id uuid NOT NULL REFERENCES users (id),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX internal_notes_application ON internal_notes (application_id, id);

      -- Conditions of an award as tracked objects: what each blocks, and who signed it off on what evidence.
      CREATE TABLE conditions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications (id),
        position integer NOT NULL,
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
        evidence_required text NOT NULL DEFAULT '',
        blocks text NOT NULL CHECK (blocks IN ('offer_acceptance', 'first_payment', 'nothing')),
        due_on date,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'waived')),
        resolution_note text,
        resolved_by uuid REFERENCES users (id),
        resolved_at timestamptz,
        source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (application_id, position),
        CONSTRAINT conditions_resolution_signed CHECK ((status = 'open') = (resolved_by IS NULL)),
        CONSTRAINT conditions_resolution_explained CHECK (status = 'open' OR resolution_note IS NOT NULL)
      );

      -- Panel members' conflict-of-interest declarations, one per member per application.
      CREATE TABLE conflict_declarations (
        application_id uuid NOT NULL REFERENCES applications (id),
        user_id uuid NOT NULL REFERENCES users (id),
        conflicted boolean NOT NULL,
        note text,
        declared_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, user_id)
      );

      ALTER TABLE funds ADD COLUMN approver_may_be_assessor boolean NOT NULL DEFAULT false;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE funds DROP COLUMN approver_may_be_assessor;
      DROP TABLE conflict_declarations, conditions, internal_notes, assessments;
      ALTER TABLE applications DROP COLUMN eligibility;
      ALTER TABLE funds DROP COLUMN eligible_legal_forms, DROP COLUMN rubric_key;
      DROP TABLE rubrics;
    `);
  }
}
