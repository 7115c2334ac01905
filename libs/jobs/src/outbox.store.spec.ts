import { EntityManager } from 'typeorm';
import { insertOutboxJobs, outboxInsertEachSql, outboxInsertSql } from './outbox.store';
import { QueuedJob } from './queues';

describe('the outbox writer', () => {
  it('writes one statement of literal queue and job names, ids and payloads as parameters', async () => {
    const calls: [string, unknown[]][] = [];
    const m = { query: async (sql: string, params: unknown[]) => void calls.push([sql, params]) } as unknown as Pick<
      EntityManager,
      'query'
    >;
    await insertOutboxJobs(m, [{ name: 'send-email', jobId: 'email-7', payload: { notificationId: 7 } }]);
    expect(calls).toEqual([
      [
        `INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('notifications', 'send-email', $1, $2)`,
        ['email-7', { notificationId: 7 }],
      ],
    ]);
    calls.length = 0;
    await insertOutboxJobs(m, [
      { name: 'reconcile-fund', jobId: 'a', payload: { fundId: 'f' } },
      { name: 'calculate-fee', jobId: 'b', payload: { fundId: 'f' } },
    ]);
    expect(calls).toEqual([
      [
        `INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('budget', 'reconcile-fund', $1, $2), ('fees', 'calculate-fee', $3, $4)`,
        ['a', { fundId: 'f' }, 'b', { fundId: 'f' }],
      ],
    ]);
    calls.length = 0;
    await insertOutboxJobs(m, []);
    expect(calls).toEqual([]);
  });

  it('builds the INSERT … SELECT of one job per source row, for the end of a statement', () => {
    expect(
      outboxInsertSql({
        name: 'send-email',
        jobIdSql: `'email-' || n.id`,
        payloadSql: { notificationId: 'n.id' },
        fromSql: `n WHERE n.status = 'pending'`,
        returningSql: 'id',
      }),
    ).toBe(
      `INSERT INTO outbox (queue, job_name, job_id, payload)
     SELECT 'notifications', 'send-email', 'email-' || n.id, jsonb_build_object('notificationId', n.id) FROM n WHERE n.status = 'pending'
     RETURNING id`,
    );
  });

  it('builds the INSERT … SELECT of several jobs per source row, their queues and names as the caller’s parameters', () => {
    const params: unknown[] = ['app', 'fund'];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // As a transition's jobs are typed in the domain.
    const jobs: ({ queue: 'budget'; name: 'reconcile-fund' } | { queue: 'fees'; name: 'calculate-fee' })[] = [
      { queue: 'budget', name: 'reconcile-fund' },
      { queue: 'fees', name: 'calculate-fee' },
    ];
    const sql = outboxInsertEachSql({
      jobs,
      param: p,
      jobIdSql: (name) => `${name} || '-' || $2::text || '-' || recorded.id`,
      payloadSql: { fundId: '$2::text' },
      fromSql: 'recorded',
    });
    expect(sql).toBe(
      `INSERT INTO outbox (queue, job_name, job_id, payload)
     SELECT j.queue, j.name, j.name || '-' || $2::text || '-' || recorded.id, jsonb_build_object('fundId', $2::text) FROM recorded, unnest($3::text[], $4::text[]) AS j(queue, name)`,
    );
    expect(params).toEqual(['app', 'fund', ['budget', 'fees'], ['reconcile-fund', 'calculate-fee']]);
  });

  it('does not compile a job with the wrong queue or a payload field its job does not have', () => {
    // @ts-expect-error reconcile-fund goes to the budget queue
    const wrongQueue: QueuedJob = { queue: 'fees', name: 'reconcile-fund' };
    expect(wrongQueue).toBeDefined();
    expect(() =>
      outboxInsertSql({
        name: 'send-email',
        jobIdSql: 'x',
        // @ts-expect-error send-email's payload is { notificationId }
        payloadSql: { fundId: 'x' },
        fromSql: 'n',
      }),
    ).not.toThrow();
    expect(() =>
      outboxInsertEachSql({
        jobs: [{ queue: 'budget', name: 'reconcile-fund' }],
        param: () => '$1',
        jobIdSql: () => 'x',
        // @ts-expect-error reconcile-fund's payload is { fundId }
        payloadSql: { notificationId: 'x' },
        fromSql: 'recorded',
      }),
    ).not.toThrow();
  });
});
