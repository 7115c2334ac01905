import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access you can take back: a user can be disabled (refused at once by sessions, tokens and
 * sign-in), and every security-relevant act is recorded in `security_events`, append-only like the
 * audit trail. Its rows name people by id and never hold a secret; the retention job (data
 * protection) may delete old rows only when it says so with `SET LOCAL sg.retention = 'on'`.
 */
export class AccessYouCanTakeBack1764500000000 implements MigrationInterface {
  name = 'AccessYouCanTakeBack1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN disabled_at timestamptz;

      CREATE TABLE security_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        actor_user_id uuid REFERENCES users (id),
        subject_user_id uuid REFERENCES users (id),
        organisation_id uuid REFERENCES organisations (id),
        address text,
        detail jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX security_events_occurred ON security_events (occurred_at DESC);
      CREATE INDEX security_events_kind ON security_events (kind, occurred_at DESC);
      CREATE INDEX security_events_subject ON security_events (subject_user_id, occurred_at DESC);

      CREATE FUNCTION reject_security_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('sg.retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER security_events_append_only BEFORE UPDATE OR DELETE ON security_events
        FOR EACH ROW EXECUTE FUNCTION reject_security_event_change();
      CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
        FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE security_events;
      DROP FUNCTION reject_security_event_change();
      ALTER TABLE users DROP COLUMN disabled_at;
    `);
  }
}
