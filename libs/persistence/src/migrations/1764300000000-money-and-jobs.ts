import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money and queued jobs: fee reversals in the ledger, payment triggers, conditions that hold up
 * payments, reminders recorded once per (kind, subject, due date), fund alerts recorded once per
 * threshold, notification preferences and the officers' daily digest.
 */
export class MoneyAndJobs1764300000000 implements MigrationInterface {
  name = 'MoneyAndJobs1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
      ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
        CHECK (kind IN ('allocation', 'fee', 'fee_reversal', 'commitment', 'release', 'disbursement', 'return'));
      CREATE INDEX ledger_entries_fund_kind ON ledger_entries (fund_id, kind);

      -- What the fund's manager is owed can go down as well as up (a fee on the awarded amount after
      -- a decline), so the stored fee may fall; it is still never negative.
      ALTER TABLE funds ADD CONSTRAINT funds_fee_not_negative CHECK (fee_pence >= 0);
      ALTER TABLE funds ADD COLUMN fee_shares jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE funds ADD COLUMN reminder_offsets jsonb NOT NULL DEFAULT '{}';

      ALTER TABLE payments DROP CONSTRAINT payments_state_check;
      ALTER TABLE payments ADD CONSTRAINT payments_state_check CHECK (state IN ('pending', 'scheduled', 'paid', 'cancelled'));
      ALTER TABLE payments ADD COLUMN trigger text NOT NULL DEFAULT 'on_acceptance'
        CHECK (trigger IN ('on_acceptance', 'on_interim_report_accepted'));
      ALTER TABLE payments ALTER COLUMN due_on DROP NOT NULL;
      CREATE INDEX payments_fund_state ON payments (fund_id, state);

      ALTER TABLE conditions DROP CONSTRAINT conditions_blocks_check;
      ALTER TABLE conditions ADD CONSTRAINT conditions_blocks_check CHECK (blocks IN ('offer_acceptance', 'first_payment', 'payments', 'nothing'));
      CREATE INDEX conditions_open_due ON conditions (due_on) WHERE status = 'open';

      -- When the application entered its state: the officers' service level counts from here.
      ALTER TABLE applications ADD COLUMN state_changed_at timestamptz;
      UPDATE applications SET state_changed_at = updated_at;
      ALTER TABLE applications ALTER COLUMN state_changed_at SET NOT NULL, ALTER COLUMN state_changed_at SET DEFAULT now();
      CREATE INDEX applications_offer_expiry ON applications (offer_expires_at) WHERE state = 'offered';
      CREATE INDEX applications_waiting ON applications (state_changed_at)
        WHERE state IN ('submitted', 'screening', 'risk_assessment', 'awaiting_decision');
      CREATE INDEX applications_drafts ON applications (fund_id) WHERE state = 'draft';
      CREATE INDEX monitoring_reports_open_due ON monitoring_reports (due_on) WHERE state IN ('due', 'returned');

      -- One row per reminder that went out: the unique key is what makes a reminder go out once,
      -- however often or concurrently the scan runs.
      CREATE TABLE reminders (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        subject_id uuid NOT NULL,
        due_on date NOT NULL,
        fund_id uuid NOT NULL REFERENCES funds (id),
        application_id uuid NOT NULL REFERENCES applications (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, subject_id, due_on)
      );

      -- Budget alerts: a threshold alert once per (fund, threshold); a drift alert once per day.
      CREATE TABLE fund_alerts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        fund_id uuid NOT NULL REFERENCES funds (id),
        kind text NOT NULL CHECK (kind IN ('threshold', 'drift')),
        dedupe_key text NOT NULL UNIQUE,
        threshold_bp integer,
        used_pence bigint NOT NULL,
        grantable_pence bigint NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      );

      ALTER TABLE users
        ADD COLUMN optional_reminders boolean NOT NULL DEFAULT true,
        ADD COLUMN daily_digest boolean NOT NULL DEFAULT false;

      ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'held', 'digested'));
      ALTER TABLE notifications
        ADD COLUMN reminder_id bigint REFERENCES reminders (id),
        ADD COLUMN fund_alert_id bigint REFERENCES fund_alerts (id),
        ADD COLUMN digest_id bigint REFERENCES notifications (id);
      CREATE INDEX notifications_held ON notifications (recipient_user_id) WHERE status = 'held';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX notifications_held;
      ALTER TABLE notifications DROP COLUMN digest_id, DROP COLUMN fund_alert_id, DROP COLUMN reminder_id;
      ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed'));
      ALTER TABLE users DROP COLUMN daily_digest, DROP COLUMN optional_reminders;
      DROP TABLE fund_alerts, reminders;
      DROP INDEX monitoring_reports_open_due, applications_drafts, applications_waiting, applications_offer_expiry;
      ALTER TABLE applications DROP COLUMN state_changed_at;
      DROP INDEX conditions_open_due;
      ALTER TABLE conditions DROP CONSTRAINT conditions_blocks_check;
      ALTER TABLE conditions ADD CONSTRAINT conditions_blocks_check CHECK (blocks IN ('offer_acceptance', 'first_payment', 'nothing'));
      DROP INDEX payments_fund_state;
      ALTER TABLE payments ALTER COLUMN due_on SET NOT NULL;
      ALTER TABLE payments DROP COLUMN trigger;
      ALTER TABLE payments DROP CONSTRAINT payments_state_check;
      ALTER TABLE payments ADD CONSTRAINT payments_state_check CHECK (state IN ('scheduled', 'paid', 'cancelled'));
      ALTER TABLE funds DROP COLUMN reminder_offsets, DROP COLUMN fee_shares;
      ALTER TABLE funds DROP CONSTRAINT funds_fee_not_negative;
      DROP INDEX ledger_entries_fund_kind;
      ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
      ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
        CHECK (kind IN ('allocation', 'fee', 'commitment', 'release', 'disbursement', 'return'));
    `);
  }
}
