import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { awaitingDecision, createFund } from '../support/funds';
import { TestStack } from '../support/stack';

/**
 * Approving is the hot path under the fund lock (bench/README): 8 statements in its transaction,
 * 5 of them from the fund row's lock to the commit. Counted on the query runner the API uses.
 */
describe('the statements an approval runs', () => {
  let s: TestStack;

  beforeAll(async () => {
    s = await TestStack.start({ worker: false });
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('8 in the transaction, 5 from the fund lock on', async () => {
    const fund = await createFund(s);
    const applicant = await s.user('applicant');
    const [app] = await awaitingDecision(s, fund.id, applicant, [{ amountPence: 100_000 }]);
    const seen = new Map<object, string[]>();
    const original = PostgresQueryRunner.prototype.query;
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (
      this: PostgresQueryRunner,
      ...args: Parameters<typeof original>
    ) {
      seen.set(this, [...(seen.get(this) ?? []), String(args[0])]);
      return original.apply(this, args);
    });
    let r;
    try {
      r = await s.request('POST', `/api/v1/applications/${app.id}/actions/approve`, fund.panel.token, {
        amountPence: 100_000,
      });
    } finally {
      spy.mockRestore();
    }
    expect(r.status).toBe(200);
    const statements = [...seen.values()].flat();
    const begin = statements.findIndex(
      (q, i) =>
        q === 'START TRANSACTION' && statements.slice(i).some((x) => x.includes('moved AS (UPDATE applications')),
    );
    const transaction = statements.slice(begin, statements.indexOf('COMMIT', begin) + 1);
    const lock = transaction.findIndex((q) => /FROM funds WHERE id = \$1 FOR UPDATE/.test(q));
    expect(transaction).toHaveLength(8);
    expect(transaction.slice(lock)).toHaveLength(5);
  });
});
