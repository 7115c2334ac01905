import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring and evidence: a report is answered against a versioned report form (counts only, and
 * narrative that never leaves the system), and a fund knows when its programme ends.
 */
export class MonitoringAndEvidence1764400000000 implements MigrationInterface {
  name = 'MonitoringAndEvidence1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE funds
        ADD COLUMN report_form_key text,
        ADD COLUMN programme_ends_on date;
      ALTER TABLE monitoring_reports
        ADD COLUMN form_key text,
        ADD COLUMN form_version integer,
        ADD COLUMN answers jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN times_returned integer NOT NULL DEFAULT 0,
        ADD CONSTRAINT monitoring_reports_form FOREIGN KEY (form_key, form_version) REFERENCES application_forms (key, version);
      CREATE INDEX monitoring_reports_accepted ON monitoring_reports (application_id) WHERE state = 'accepted';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX monitoring_reports_accepted;
      ALTER TABLE monitoring_reports DROP CONSTRAINT monitoring_reports_form,
        DROP COLUMN times_returned, DROP COLUMN answers, DROP COLUMN form_version, DROP COLUMN form_key;
      ALTER TABLE funds DROP COLUMN programme_ends_on, DROP COLUMN report_form_key;
    `);
  }
}
