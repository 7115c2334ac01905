import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff's second factor: one authenticator secret per user, stored encrypted (AES-256-GCM under a
 * key derived from SESSION_SECRET; never in clear, never logged), the last time step a code was
 * accepted for (a code is never accepted twice), and ten single-use recovery codes kept only as
 * SHA-256 hashes.
 */
export class StaffSecondFactor1764530000000 implements MigrationInterface {
  name = 'StaffSecondFactor1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE second_factors (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret_encrypted bytea NOT NULL,
        last_time_step bigint,
        enrolled_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE recovery_codes (
        user_id uuid NOT NULL REFERENCES second_factors (user_id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE recovery_codes;
      DROP TABLE second_factors;
    `);
  }
}
