import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff accounts an administrator disables keep why (one of DISABLE_REASONS in
 * libs/domain/src/identity/staff-accounts.ts, never typed words), cleared on re-enabling.
 */
export class StaffAndMembers1764520000000 implements MigrationInterface {
  name = 'StaffAndMembers1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN disabled_reason text
        CHECK (disabled_reason IN ('left_the_organisation', 'no_longer_needs_access', 'suspected_compromise'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN disabled_reason;`);
  }
}
