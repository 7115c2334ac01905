import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conflicts of interest and a second officer for payments. Declarations become append-only history:
 * each change is a new row, the latest (highest id) says where the person stands, and no row is
 * updated or deleted. A fund can require a second, different officer to confirm a payment's release.
 */
export class DeclarationsAndTwoOfficerRelease1764560000000 implements MigrationInterface {
  name = 'DeclarationsAndTwoOfficerRelease1764560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE conflict_declarations DROP CONSTRAINT conflict_declarations_pkey;
      ALTER TABLE conflict_declarations ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
      CREATE INDEX conflict_declarations_latest ON conflict_declarations (application_id, user_id, id DESC);
      CREATE TRIGGER conflict_declarations_append_only BEFORE UPDATE OR DELETE ON conflict_declarations
        FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
      CREATE TRIGGER conflict_declarations_no_truncate BEFORE TRUNCATE ON conflict_declarations
        FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();

      ALTER TABLE funds ADD COLUMN payment_release_needs_second_officer boolean NOT NULL DEFAULT false;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE funds DROP COLUMN payment_release_needs_second_officer;
      DROP TRIGGER conflict_declarations_no_truncate ON conflict_declarations;
      DROP TRIGGER conflict_declarations_append_only ON conflict_declarations;
      -- Only the latest declaration of each person survives going back to one row per person.
      DELETE FROM conflict_declarations c USING conflict_declarations newer
        WHERE newer.application_id = c.application_id AND newer.user_id = c.user_id AND newer.id > c.id;
      ALTER TABLE conflict_declarations DROP COLUMN id;
      ALTER TABLE conflict_declarations ADD PRIMARY KEY (application_id, user_id);
    `);
  }
}
