import { OpenApiValidator } from '../support/openapi-validator';

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const validator = () =>
  new OpenApiValidator({
    paths: {
      '/api/v1/things/{id}': {
        get: {
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            '404': { content: problem },
          },
        },
      },
      '/api/v1/things/{id}/export.csv': {
        get: { responses: { '200': { content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } } } } },
      },
    },
    components: {
      schemas: {
        Problem: {
          type: 'object',
          required: ['status', 'code'],
          properties: { status: { type: 'integer' }, code: { type: 'string' } },
        },
        Thing: {
          type: 'object',
          required: ['id', 'paidAt', 'owner'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            paidAt: { type: 'string', format: 'date-time', nullable: true },
            owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/Problem' }] },
          },
        },
      },
    },
  });

const id = '5b0d7c1e-8a3f-4c1e-9a51-0c2b6f1d2e3a';
const json = 'application/json; charset=utf-8';

describe('checking live responses against the API description', () => {
  it('accepts a body that matches, nulls where the schema is nullable', () => {
    const v = validator();
    v.check('GET', `/api/v1/things/${id}`, 200, json, { id, paidAt: null, owner: null });
    v.check('GET', `/api/v1/things/${id}?x=1`, 200, json, { id, paidAt: '2027-01-02T03:04:05.000Z', owner: null });
    v.check('GET', `/api/v1/things/${id}/export.csv`, 200, 'text/csv; charset=utf-8', 'a,b\n');
    v.check('GET', `/api/v1/things/${id}`, 404, 'application/problem+json', { status: 404, code: 'not_found' });
    expect([...v.checked]).toEqual([
      [`GET /api/v1/things/{id} 200`, 2],
      [`GET /api/v1/things/{id}/export.csv 200`, 1],
      [`GET /api/v1/things/{id} 404`, 1],
    ]);
  });

  it('refuses a body that breaks the schema, naming the operation and the field', () => {
    expect(() =>
      validator().check('GET', `/api/v1/things/${id}`, 200, json, { id: 'x', paidAt: 3, owner: null }),
    ).toThrow(
      /GET \/api\/v1\/things\/\{id\} answered 200 with a body that does not match its schema: \/id must match format "uuid"; \/paidAt must be string/,
    );
    expect(() => validator().check('GET', `/api/v1/things/${id}`, 200, json, { id, paidAt: null })).toThrow(
      /must have required property 'owner'/,
    );
  });

  it('refuses a status the operation does not list, and a media type it does not declare', () => {
    expect(() => validator().check('GET', `/api/v1/things/${id}`, 409, 'application/problem+json', {})).toThrow(
      /answered 409, which the API description does not list/,
    );
    expect(() => validator().check('GET', `/api/v1/things/${id}`, 404, json, { status: 404, code: 'x' })).toThrow(
      /answered 404 as application\/json; the description lists application\/problem\+json/,
    );
  });

  it('leaves paths the description does not cover alone', () => {
    const v = validator();
    v.check('GET', '/sign-in', 200, 'text/html', '<html>');
    v.check('POST', `/api/v1/things/${id}`, 405, json, {});
    expect(v.checked.size).toBe(0);
  });
});
