import { EntityManager } from 'typeorm';
import { JOB_QUEUE, JobName, JobPayloads, QueuedJob, QueueName } from './queues';

/**
 * The one module that writes outbox rows, and the relay's claim of them. A row is a job for
 * the queue, written in the caller's transaction so that nothing is queued unless the caller
 * commits; its job id makes a second row for the same job harmless (BullMQ ignores the repeat).
 * Everything here is typed by the job names and payloads of queues.ts.
 */

const COLUMNS = 'INSERT INTO outbox (queue, job_name, job_id, payload)';

/** One job to write: its name (its queue follows), its id and its payload. */
export type OutboxJob<N extends JobName = JobName> = {
  [M in N]: { name: M; jobId: string; payload: JobPayloads[M] };
}[N];

/**
 * Writes jobs in the caller's transaction, in one statement (none for an empty list): queue and
 * job name are written as literals, the id and payload as parameters.
 */
export async function insertOutboxJobs(m: Pick<EntityManager, 'query'>, jobs: readonly OutboxJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const params: unknown[] = [];
  const rows = jobs.map((job) => {
    params.push(job.jobId, job.payload);
    return `(${literal(JOB_QUEUE[job.name])}, ${literal(job.name)}, $${params.length - 1}, $${params.length})`;
  });
  await m.query(`${COLUMNS} VALUES ${rows.join(', ')}`, params);
}

/** Each payload field of the job(s) as the SQL expression that gives it (jsonb_build_object of them). */
export type PayloadSql<N extends JobName> = { [K in keyof JobPayloads[N]]-?: string };

interface OutboxSqlCommon<N extends JobName> {
  /** Each payload field as the SQL expression that gives it (written as jsonb_build_object of them). */
  payloadSql: PayloadSql<N>;
  /** What follows FROM: the source rows, and any WHERE or ORDER BY. */
  fromSql: string;
  /** A RETURNING list, for a caller that counts the rows written. */
  returningSql?: string;
}

/** One job per source row, its name fixed. */
export interface OutboxSqlOneJob<N extends JobName> extends OutboxSqlCommon<N> {
  name: N;
  /** The SQL expression of each row's job id. */
  jobIdSql: string;
}

/**
 * Several jobs per source row: the row is crossed with an unnest of the jobs' queues and names,
 * which are added to the caller's parameters through `param` (the statement's placeholder maker).
 */
export interface OutboxSqlEachJob<J extends QueuedJob> extends OutboxSqlCommon<J['name']> {
  jobs: readonly J[];
  param: (value: unknown) => string;
  /** The SQL expression of each row's job id, given the SQL expression of the job's name. */
  jobIdSql: (nameSql: string) => string;
}

/**
 * The `INSERT INTO outbox … SELECT …` text for use inside another statement (the main statement
 * after data-modifying CTEs, or a CTE of its own), so that the jobs are written in the same round
 * trip as what they follow: one job of a fixed name per source row. Job names and queues are
 * literals, never caller text; the id, payload and FROM expressions are the caller's SQL.
 */
export function outboxInsertSql<N extends JobName>(spec: OutboxSqlOneJob<N>): string {
  const select = `${literal(JOB_QUEUE[spec.name])}, ${literal(spec.name)}, ${spec.jobIdSql}`;
  return insertSelect(select, spec, spec.fromSql);
}

/**
 * As outboxInsertSql, with several jobs per source row (a transition's jobs after its event): the
 * row is crossed with an unnest of the jobs' queues and names, passed as the caller's parameters.
 */
export function outboxInsertEachSql<J extends QueuedJob>(spec: OutboxSqlEachJob<J>): string {
  const queues = spec.param(spec.jobs.map((j) => j.queue));
  const names = spec.param(spec.jobs.map((j) => j.name));
  const select = `j.queue, j.name, ${spec.jobIdSql('j.name')}`;
  return insertSelect(select, spec, `${spec.fromSql}, unnest(${queues}::text[], ${names}::text[]) AS j(queue, name)`);
}

function insertSelect(select: string, spec: OutboxSqlCommon<JobName>, from: string): string {
  const payload = Object.entries(spec.payloadSql as Record<string, string>)
    .map(([key, sql]) => `${literal(key)}, ${sql}`)
    .join(', ');
  const returning = spec.returningSql ? `\n     RETURNING ${spec.returningSql}` : '';
  return `${COLUMNS}\n     SELECT ${select}, jsonb_build_object(${payload}) FROM ${from}${returning}`;
}

/** A queue, job or payload key name as a SQL string literal (they are code constants; checked anyway). */
function literal(name: string): string {
  if (!/^[a-zA-Z][a-zA-Z-]*$/.test(name)) throw new Error(`not a job, queue or payload name: ${name}`);
  return `'${name}'`;
}

/** An outbox row as the relay hands it to its queue. */
export interface OutboxRow {
  id: number;
  queue: QueueName;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
}

/**
 * The relay's claim: up to `limit` unrelayed rows, oldest first, claimed (SKIP LOCKED) and marked
 * relayed in one statement, in the caller's transaction; its commit is not waited to disk (see
 * OutboxRelay).
 */
export function claimOutboxBatch(m: Pick<EntityManager, 'query'>, limit: number): Promise<OutboxRow[]> {
  return m.query(
    `WITH claimed AS (SELECT id FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED),
              marked AS (UPDATE outbox o SET relayed_at = now() FROM claimed WHERE o.id = claimed.id
                         RETURNING o.id, o.queue, o.job_name, o.job_id, o.payload),
              no_flush_wait AS (SELECT set_config('synchronous_commit', 'off', true))
         SELECT marked.* FROM marked, no_flush_wait ORDER BY marked.id`,
    [limit],
  );
}
