import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The spine: funds and their partners, users and organisations, applications with their
 * lifecycle state, the append-only event and ledger tables, the outbox, notifications, payments
 * and monitoring reports. Money is integer pence in bigint columns; the fund row's CHECKs repeat
 * docs/domain.md §4's invariants so that even a faulty caller cannot overspend.
 */
export class TheSpine1764000000000 implements MigrationInterface {
  name = 'TheSpine1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('vda', 'funder')),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE funds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        currency char(3) NOT NULL DEFAULT 'GBP' CHECK (currency = 'GBP'),
        total_pence bigint NOT NULL CHECK (total_pence > 0),
        fee_rate_bp integer NOT NULL CHECK (fee_rate_bp BETWEEN 0 AND 10000),
        fee_basis text NOT NULL CHECK (fee_basis IN ('fund_total', 'awarded', 'disbursed')),
        fee_treatment text NOT NULL CHECK (fee_treatment IN ('top_slice', 'on_top')),
        max_per_organisation_pence bigint NOT NULL CHECK (max_per_organisation_pence > 0),
        grantable_pence bigint NOT NULL CHECK (grantable_pence >= 0),
        alert_thresholds_bp integer[] NOT NULL DEFAULT '{7500,9000,10000}',
        areas jsonb NOT NULL,
        opens_on date,
        closes_on date,
        offer_valid_for text NOT NULL,
        payment_schedule jsonb NOT NULL,
        report_schedule jsonb NOT NULL,
        definition jsonb NOT NULL,
        allocated_pence bigint NOT NULL DEFAULT 0,
        fee_pence bigint NOT NULL DEFAULT 0,
        committed_pence bigint NOT NULL DEFAULT 0,
        disbursed_pence bigint NOT NULL DEFAULT 0,
        returned_pence bigint NOT NULL DEFAULT 0,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT funds_committed_not_negative CHECK (committed_pence >= 0),
        CONSTRAINT funds_returned_within_disbursed CHECK (returned_pence <= disbursed_pence),
        CONSTRAINT funds_never_overspent CHECK (committed_pence + disbursed_pence - returned_pence <= grantable_pence)
      );

      CREATE TABLE fund_partners (
        fund_id uuid NOT NULL REFERENCES funds (id),
        partner_organisation_id uuid NOT NULL REFERENCES partner_organisations (id),
        role text NOT NULL CHECK (role IN ('managing', 'partner', 'funder')),
        areas text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (fund_id, partner_organisation_id)
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('applicant', 'officer', 'partner_officer', 'panel_member', 'funder_viewer', 'admin')),
        partner_organisation_id uuid REFERENCES partner_organisations (id),
        api_token_hash text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        legal_form text NOT NULL,
        registration_number text,
        area_code text NOT NULL,
        postcode text,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE organisation_members (
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        user_id uuid NOT NULL REFERENCES users (id),
        role text NOT NULL CHECK (role IN ('owner', 'member')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, user_id)
      );
      CREATE INDEX organisation_members_user ON organisation_members (user_id);

      CREATE TABLE applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        fund_id uuid NOT NULL REFERENCES funds (id),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        state text NOT NULL CHECK (state IN ('draft', 'submitted', 'screening', 'information_requested', 'risk_assessment',
          'awaiting_decision', 'offered', 'conditions_pending', 'active', 'suspended', 'closing', 'discarded', 'withdrawn',
          'ineligible', 'rejected', 'declined', 'offer_expired', 'terminated', 'closed')),
        version integer NOT NULL DEFAULT 1,
        title text NOT NULL,
        summary text NOT NULL DEFAULT '',
        requested_pence bigint NOT NULL CHECK (requested_pence > 0),
        area_code text NOT NULL,
        activity_risk_tier text CHECK (activity_risk_tier IN ('low', 'medium', 'high')),
        awarded_pence bigint CHECK (awarded_pence > 0),
        conditions jsonb NOT NULL DEFAULT '[]',
        return_to_state text CHECK (return_to_state IN ('screening', 'risk_assessment')),
        disbursed_pence bigint NOT NULL DEFAULT 0,
        returned_pence bigint NOT NULL DEFAULT 0,
        underspend_waived boolean NOT NULL DEFAULT false,
        offer_expires_at timestamptz,
        submitted_at timestamptz,
        decided_at timestamptz,
        accepted_at timestamptz,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT applications_paid_within_award CHECK (disbursed_pence <= coalesce(awarded_pence, 0)),
        CONSTRAINT applications_returned_within_paid CHECK (returned_pence <= disbursed_pence)
      );
      CREATE INDEX applications_fund_state ON applications (fund_id, state);
      CREATE INDEX applications_organisation ON applications (organisation_id);

      CREATE TABLE events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        fund_id uuid NOT NULL REFERENCES funds (id),
        application_id uuid REFERENCES applications (id),
        action text NOT NULL,
        from_state text,
        to_state text,
        actor_user_id uuid REFERENCES users (id),
        actor_role text NOT NULL,
        reason text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX events_application ON events (application_id, id);

      CREATE TABLE ledger_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        fund_id uuid NOT NULL REFERENCES funds (id),
        application_id uuid REFERENCES applications (id),
        organisation_id uuid REFERENCES organisations (id),
        event_id bigint NOT NULL REFERENCES events (id),
        kind text NOT NULL CHECK (kind IN ('allocation', 'fee', 'commitment', 'release', 'disbursement', 'return')),
        amount_pence bigint NOT NULL CHECK (amount_pence > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ledger_entries_fund ON ledger_entries (fund_id, id);
      CREATE INDEX ledger_entries_fund_organisation ON ledger_entries (fund_id, organisation_id);

      CREATE FUNCTION reject_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();
      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
      CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
        FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();

      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        relayed_at timestamptz
      );
      CREATE INDEX outbox_unrelayed ON outbox (id) WHERE relayed_at IS NULL;

      CREATE TABLE notifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        template text NOT NULL,
        application_id uuid NOT NULL REFERENCES applications (id),
        event_id bigint NOT NULL REFERENCES events (id),
        recipient_user_id uuid NOT NULL REFERENCES users (id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        claimed_at timestamptz,
        sent_at timestamptz,
        message_id text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notifications_application ON notifications (application_id);

      CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications (id),
        fund_id uuid NOT NULL REFERENCES funds (id),
        tranche integer NOT NULL CHECK (tranche > 0),
        amount_pence bigint NOT NULL CHECK (amount_pence > 0),
        state text NOT NULL CHECK (state IN ('scheduled', 'paid', 'cancelled')),
        due_on date NOT NULL,
        paid_at timestamptz,
        reference text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (application_id, tranche)
      );

      CREATE TABLE monitoring_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications (id),
        kind text NOT NULL CHECK (kind IN ('interim', 'final')),
        due_on date NOT NULL,
        state text NOT NULL CHECK (state IN ('due', 'submitted', 'accepted', 'returned', 'cancelled')),
        narrative text,
        spend_to_date_pence bigint CHECK (spend_to_date_pence >= 0),
        comments text,
        submitted_at timestamptz,
        reviewed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (application_id, kind)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE monitoring_reports, payments, notifications, outbox, ledger_entries, events, applications,
        organisation_members, organisations, users, fund_partners, funds, partner_organisations;
      DROP FUNCTION reject_append_only_change();
    `);
  }
}
