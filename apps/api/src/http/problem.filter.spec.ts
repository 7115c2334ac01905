import { Logger } from '@nestjs/common';
import { isUnavailable, toProblem } from './problem.filter';

const quiet = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;

describe('a dependency that went away answers 503, not 500', () => {
  it.each([
    [
      'PostgreSQL shutting down (57P01)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    [
      'PostgreSQL starting up (57P03)',
      { message: 'query failed', driverError: { code: '57P03', message: 'the database system is starting up' } },
    ],
    ['connection failure (08006)', Object.assign(new Error('x'), { code: '08006' })],
    ['too many connections (53300)', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
    ['a socket reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a client the pool lost', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'TypeORM wrapping a lost connection',
      { message: 'Query failed', driverError: { message: 'Connection terminated unexpectedly' } },
    ],
    // Seen in the PostgreSQL restart fault test: the COMMIT of a transaction whose connection died.
    [
      'a commit on a connection TypeORM released',
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ],
    [
      'a query on a connection TypeORM released',
      Object.assign(new Error('Database connection provided by a query runner was already released'), {
        name: 'QueryRunnerProviderAlreadyReleasedError',
      }),
    ],
  ])('%s', (_name, err) => {
    expect(isUnavailable(err)).toBe(true);
    expect(toProblem(err, quiet)).toMatchObject({ status: 503, code: 'service_unavailable' });
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a constraint violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
  ])('but %s is still a 500', (_name, err) => {
    expect(isUnavailable(err)).toBe(false);
    expect(toProblem(err, quiet)).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
