import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The applicant journey: password accounts with verification, single-use tokens, sessions and
 * sign-in throttling; the organisation profile, members, invitations and duplicate flags;
 * versioned application forms with answers and uploaded files. Identity emails (verification,
 * reset, invitation) have no application, so notifications may now name a subject instead.
 */
export class ApplicantJourney1764100000000 implements MigrationInterface {
  name = 'ApplicantJourney1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN password_hash text,
        ADD COLUMN email_verified_at timestamptz,
        ADD COLUMN last_signed_in_at timestamptz;

      CREATE TABLE organisation_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        email text NOT NULL,
        invited_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users (id),
        revoked_at timestamptz
      );
      CREATE UNIQUE INDEX organisation_invitations_open ON organisation_invitations (organisation_id, lower(email))
        WHERE accepted_at IS NULL AND revoked_at IS NULL;

      -- Only a token's hash is kept; the token itself exists in one email and nowhere else.
      CREATE TABLE one_time_tokens (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('verify_email', 'reset_password', 'invitation')),
        user_id uuid REFERENCES users (id),
        invitation_id uuid REFERENCES organisation_invitations (id),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'invitation') = (invitation_id IS NOT NULL)),
        CHECK ((kind = 'invitation') OR user_id IS NOT NULL)
      );
      CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, kind) WHERE used_at IS NULL;

      CREATE TABLE sign_in_failures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_key text NOT NULL,
        address text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sign_in_failures_account ON sign_in_failures (account_key, failed_at);
      CREATE INDEX sign_in_failures_address ON sign_in_failures (address, failed_at);

      -- connect-pg-simple's table, for @fastify/session.
      CREATE TABLE sessions (
        sid varchar NOT NULL PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL
      );
      CREATE INDEX sessions_expire ON sessions (expire);

      ALTER TABLE organisations
        ADD COLUMN address_line_1 text,
        ADD COLUMN address_line_2 text,
        ADD COLUMN town text,
        ADD COLUMN communities_served text[] NOT NULL DEFAULT '{}',
        ADD COLUMN communities_other text,
        ADD COLUMN languages text[] NOT NULL DEFAULT '{}',
        ADD COLUMN led_by_and_for boolean,
        ADD COLUMN led_by_and_for_statement text,
        ADD COLUMN safeguarding_lead_name text,
        ADD COLUMN safeguarding_lead_role text,
        ADD COLUMN name_key text NOT NULL DEFAULT '',
        ADD COLUMN duplicate_of uuid REFERENCES organisations (id),
        ADD CONSTRAINT organisations_legal_form CHECK (legal_form IN ('registered_charity', 'cio', 'cic',
          'company_limited_by_guarantee', 'unincorporated_community_group', 'other')),
        ADD CONSTRAINT organisations_not_own_duplicate CHECK (duplicate_of <> id);
      CREATE INDEX organisations_registration ON organisations (registration_number) WHERE registration_number IS NOT NULL;
      CREATE INDEX organisations_name_postcode ON organisations (name_key, postcode);
      CREATE INDEX organisations_duplicate_of ON organisations (duplicate_of) WHERE duplicate_of IS NOT NULL;

      CREATE TABLE organisation_duplicate_flags (
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        matches_organisation_id uuid NOT NULL REFERENCES organisations (id),
        reason text NOT NULL CHECK (reason IN ('same_registration_number', 'same_name_and_postcode')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, matches_organisation_id)
      );

      CREATE TABLE application_forms (
        key text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        title text NOT NULL,
        definition jsonb NOT NULL,
        content_sha256 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key, version)
      );

      ALTER TABLE funds ADD COLUMN application_form_key text;

      ALTER TABLE applications
        ALTER COLUMN requested_pence DROP NOT NULL,
        ALTER COLUMN title SET DEFAULT '',
        ADD COLUMN form_key text,
        ADD COLUMN form_version integer,
        ADD COLUMN answers jsonb NOT NULL DEFAULT '{}',
        ADD CONSTRAINT applications_form FOREIGN KEY (form_key, form_version) REFERENCES application_forms (key, version),
        ADD CONSTRAINT applications_requested_once_submitted CHECK (state = 'draft' OR requested_pence IS NOT NULL);

      CREATE TABLE application_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications (id),
        question_id text NOT NULL,
        original_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL,
        storage_key text NOT NULL UNIQUE,
        uploaded_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX application_files_application ON application_files (application_id);

      ALTER TABLE notifications
        ALTER COLUMN application_id DROP NOT NULL,
        ALTER COLUMN event_id DROP NOT NULL,
        ALTER COLUMN recipient_user_id DROP NOT NULL,
        ADD COLUMN invitation_id uuid REFERENCES organisation_invitations (id),
        ADD CONSTRAINT notifications_has_recipient CHECK (recipient_user_id IS NOT NULL OR invitation_id IS NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM notifications WHERE recipient_user_id IS NULL OR application_id IS NULL OR event_id IS NULL;
      ALTER TABLE notifications DROP CONSTRAINT notifications_has_recipient, DROP COLUMN invitation_id,
        ALTER COLUMN application_id SET NOT NULL, ALTER COLUMN event_id SET NOT NULL, ALTER COLUMN recipient_user_id SET NOT NULL;
      DROP TABLE application_files;
      ALTER TABLE applications DROP CONSTRAINT applications_requested_once_submitted, DROP CONSTRAINT applications_form,
        DROP COLUMN answers, DROP COLUMN form_version, DROP COLUMN form_key, ALTER COLUMN title DROP DEFAULT;
      ALTER TABLE funds DROP COLUMN application_form_key;
      DROP TABLE application_forms, organisation_duplicate_flags;
      ALTER TABLE organisations DROP CONSTRAINT organisations_not_own_duplicate, DROP CONSTRAINT organisations_legal_form,
        DROP COLUMN duplicate_of, DROP COLUMN name_key, DROP COLUMN safeguarding_lead_role, DROP COLUMN safeguarding_lead_name,
        DROP COLUMN led_by_and_for_statement, DROP COLUMN led_by_and_for, DROP COLUMN languages, DROP COLUMN communities_other,
        DROP COLUMN communities_served, DROP COLUMN town, DROP COLUMN address_line_2, DROP COLUMN address_line_1;
      DROP TABLE sessions, sign_in_failures, one_time_tokens, organisation_invitations;
      ALTER TABLE users DROP COLUMN last_signed_in_at, DROP COLUMN email_verified_at, DROP COLUMN password_hash;
    `);
  }
}
