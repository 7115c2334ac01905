import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named API tokens: several per person instead of one hash on the user's row, each with an
 * expiry, a last-used time and a revocation time (and why). Existing tokens move across as "API token",
 * expiring from now (30 days for staff, 90 for applicants, as `apiTokenLifetimeDays` says today).
 */
export class NamedApiTokens1764510000000 implements MigrationInterface {
  name = 'NamedApiTokens1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        -- why: revoked by its owner, a password reset, signing out everywhere, the user disabled
        revoked_reason text,
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);
      -- Ending every session of one person (a reset, signing out everywhere, a disable) without a scan.
      CREATE INDEX sessions_user ON sessions ((sess->>'userId'));

      INSERT INTO api_tokens (user_id, name, token_hash, expires_at)
        SELECT id, 'API token', api_token_hash,
               now() + CASE WHEN role = 'applicant' THEN interval '90 days' ELSE interval '30 days' END
          FROM users WHERE api_token_hash IS NOT NULL;
      ALTER TABLE users DROP COLUMN api_token_hash;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN api_token_hash text UNIQUE;
      UPDATE users u SET api_token_hash = t.token_hash
        FROM (SELECT DISTINCT ON (user_id) user_id, token_hash FROM api_tokens
               WHERE revoked_at IS NULL AND expires_at > now() ORDER BY user_id, created_at DESC) t
       WHERE t.user_id = u.id;
      DROP TABLE api_tokens;
      DROP INDEX sessions_user;
    `);
  }
}
