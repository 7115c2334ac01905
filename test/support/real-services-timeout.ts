// Jest ignores `testTimeout` inside a project, so suites on real services set theirs here: waiting
// for an email through PostgreSQL, Redis, the worker and SMTP can take seconds on a busy machine.
jest.setTimeout(90_000);
