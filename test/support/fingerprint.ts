import { DataSource } from 'typeorm';

/**
 * What a suite's own world looks like in the database, cheaply: per table a row count and an md5
 * of the rows, for the rows that belong to the suite's funds and users (other suites write to the
 * same tables at the same time, so a whole-table hash would change under us).
 *
 * Left out on purpose: what background work changes after a commit, whoever's worker picks the job
 * up (an outbox row's relayed_at, a notification's status and attempts, budget-alert, reminder and
 * digest notifications), and sessions and sign-in failures (recorded on a refused sign-in by design).
 */
export interface World {
  /** The suite's users (any role); what they create or receive belongs to the world. */
  users: string[];
  /** The suite's funds. */
  funds: string[];
  /** A string in the email address of any staff account the suite asks to create. */
  emailMarker: string;
}

const SQL = `
WITH apps AS (SELECT id FROM applications WHERE fund_id = ANY($1::uuid[]) OR created_by = ANY($2::uuid[])),
orgs AS (SELECT id FROM organisations WHERE created_by = ANY($2::uuid[]) UNION SELECT organisation_id FROM organisation_members WHERE user_id = ANY($2::uuid[])),
invitations AS (SELECT id FROM organisation_invitations WHERE organisation_id IN (SELECT id FROM orgs)),
people AS (SELECT id FROM users WHERE id = ANY($2::uuid[]) OR email LIKE '%' || $3 || '%'),
notes AS (
  SELECT id FROM notifications
  WHERE (application_id IN (SELECT id FROM apps) OR recipient_user_id IN (SELECT id FROM people) OR invitation_id IN (SELECT id FROM invitations))
    AND fund_alert_id IS NULL AND reminder_id IS NULL AND digest_id IS NULL
)
SELECT json_build_object(
  'events', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM events t
             WHERE t.fund_id = ANY($1::uuid[]) OR t.actor_user_id = ANY($2::uuid[]) OR t.application_id IN (SELECT id FROM apps)),
  'ledger_entries', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM ledger_entries t
             WHERE t.fund_id = ANY($1::uuid[]) OR t.application_id IN (SELECT id FROM apps)),
  'funds', (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws(',', t.id, t.slug, t.total_pence, t.grantable_pence, t.allocated_pence, t.fee_pence, t.committed_pence,
             t.disbursed_pence, t.returned_pence, t.version, t.updated_at), '|' ORDER BY t.id)), '') FROM funds t WHERE t.id = ANY($1::uuid[]) OR t.slug LIKE '%' || $3 || '%'),
  'applications', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM applications t WHERE t.id IN (SELECT id FROM apps)),
  'monitoring_reports', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM monitoring_reports t WHERE t.application_id IN (SELECT id FROM apps)),
  'payments', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM payments t WHERE t.application_id IN (SELECT id FROM apps)),
  'assessments', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.application_id)), '') FROM assessments t WHERE t.application_id IN (SELECT id FROM apps)),
  'conditions', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM conditions t WHERE t.application_id IN (SELECT id FROM apps)),
  'conflict_declarations', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM conflict_declarations t WHERE t.application_id IN (SELECT id FROM apps)),
  'internal_notes', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM internal_notes t WHERE t.application_id IN (SELECT id FROM apps)),
  'application_files', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM application_files t WHERE t.application_id IN (SELECT id FROM apps)),
  'notifications', (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws(',', t.id, t.dedupe_key, t.template, t.application_id, t.event_id, t.recipient_user_id, t.invitation_id), '|' ORDER BY t.id)), '')
             FROM notifications t WHERE t.id IN (SELECT id FROM notes)),
  'outbox', (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws(',', t.id, t.queue, t.job_name, t.job_id, t.payload::text), '|' ORDER BY t.id)), '') FROM outbox t
             WHERE t.payload->>'fundId' = ANY($1::text[]) OR t.payload->>'notificationId' IN (SELECT id::text FROM notes)),
  'organisations', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM organisations t WHERE t.id IN (SELECT id FROM orgs)),
  'organisation_members', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM organisation_members t WHERE t.organisation_id IN (SELECT id FROM orgs)),
  'organisation_invitations', (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM organisation_invitations t WHERE t.id IN (SELECT id FROM invitations)),
  'users', (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws(',', t.id, t.email, t.role, t.display_name, t.partner_organisation_id, t.optional_reminders, t.daily_digest,
             t.password_hash, t.email_verified_at, t.disabled_at), '|' ORDER BY t.id)), '') FROM users t WHERE t.id IN (SELECT id FROM people)),
  -- last_used_at moves with every API request, which changes nothing a person owns.
  'api_tokens', (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws(',', t.id, t.user_id, t.name, t.token_hash, t.expires_at, t.revoked_at), '|' ORDER BY t.id)), '')
             FROM api_tokens t WHERE t.user_id IN (SELECT id FROM people))
) AS fp`;

export type Fingerprint = Record<string, string>;

export async function fingerprint(ds: DataSource, world: World): Promise<Fingerprint> {
  const [row] = await ds.query(SQL, [world.funds, world.users, world.emailMarker]);
  return row.fp as Fingerprint;
}

/** The tables whose rows differ, e.g. ["applications"]. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]);
}
