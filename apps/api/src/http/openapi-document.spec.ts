import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { previewApiDocument } from './openapi-document';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<
    string,
    { content?: Record<string, { schema?: { $ref?: string; type?: string; format?: string } }> }
  >;
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/**
 * The API description is complete: every operation says what it answers on success and which
 * problems it can answer, all of them as application/problem+json with the one Problem schema.
 * Built in preview mode, as `npm run openapi` builds it, with no database or Redis.
 */
describe('the API description', () => {
  let doc: OpenAPIObject;
  const operations: [string, Operation][] = [];

  beforeAll(async () => {
    doc = await previewApiDocument();
    for (const [path, item] of Object.entries(doc.paths))
      for (const method of METHODS) {
        const op = (item as Record<string, Operation | undefined>)[method];
        if (op) operations.push([`${method.toUpperCase()} ${path}`, op]);
      }
  }, 120_000);

  const missing = (check: (name: string, op: Operation) => string | null) =>
    operations.map(([name, op]) => check(name, op)).filter((m): m is string => m !== null);

  it('describes the JSON API and none of the portal’s pages', () => {
    expect(operations.length).toBeGreaterThanOrEqual(49);
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/'))).toEqual([]);
  });

  it('gives every operation a 2xx response with a schema (a download: its media type, binary)', () => {
    expect(
      missing((name, op) => {
        const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
        const described = ok.some(([, r]) =>
          Object.entries(r.content ?? {}).some(
            ([type, c]) =>
              c.schema !== undefined &&
              (type === 'application/json' || (c.schema.type === 'string' && c.schema.format === 'binary')),
          ),
        );
        return described ? null : `${name}: no 2xx response with a schema`;
      }),
    ).toEqual([]);
  });

  it('answers 401 on every authenticated operation, 400 where it takes a body or query, 404 where it names something in its path', () => {
    expect(
      missing((name, op) => {
        const statuses = Object.keys(op.responses);
        const lacks: string[] = [];
        if ((op.security ?? []).length > 0 && !statuses.includes('401')) lacks.push('401');
        const query = (op.parameters ?? []).some((p) => p.in === 'query');
        if ((op.requestBody || query) && !statuses.includes('400')) lacks.push('400');
        if ((op.parameters ?? []).some((p) => p.in === 'path') && !statuses.includes('404')) lacks.push('404');
        return lacks.length > 0 ? `${name}: no ${lacks.join(', ')}` : null;
      }),
    ).toEqual([]);
  });

  it('treats every route but health as authenticated', () => {
    expect(missing((name, op) => ((op.security ?? []).length === 0 ? name : null))).toEqual(['GET /api/health']);
  });

  it('sends every client error as application/problem+json with the Problem schema', () => {
    expect(
      missing((name, op) => {
        const wrong = Object.entries(op.responses)
          .filter(([status]) => /^4\d\d$/.test(status))
          .filter(([, r]) => {
            const types = Object.keys(r.content ?? {});
            return (
              types.join() !== 'application/problem+json' ||
              r.content?.[types[0]].schema?.$ref !== '#/components/schemas/Problem'
            );
          })
          .map(([status]) => status);
        return wrong.length > 0 ? `${name}: ${wrong.join(', ')} not problem+json` : null;
      }),
    ).toEqual([]);
  });

  it('describes the problem as RFC 9457 with the API’s code and field errors', () => {
    const problem = doc.components?.schemas?.Problem as { required: string[]; properties: Record<string, unknown> };
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
    expect(problem.properties.errors).toMatchObject({
      type: 'array',
      items: { properties: { field: { type: 'string' }, message: { type: 'string' } } },
    });
  });

  it('lists every error the lifecycle action can return', () => {
    const act = operations.find(([name]) => name === 'POST /api/v1/applications/{id}/actions/{action}')?.[1];
    expect(Object.keys(act?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '422',
    ]);
  });

  it('refers only to schemas it defines', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    expect([...new Set(refs)].filter((name) => !doc.components?.schemas?.[name])).toEqual([]);
  });

  it('is the description committed in docs/openapi.json (else run `npm run openapi`)', () => {
    // The build's Swagger plugin adds request fields and summaries; the responses are all decorators.
    const committed = JSON.parse(
      readFileSync(join(__dirname, '../../../../docs/openapi.json'), 'utf8'),
    ) as OpenAPIObject;
    const responses = (d: OpenAPIObject) =>
      Object.fromEntries(
        Object.entries(d.paths).flatMap(([path, item]) =>
          METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((m) => [
            `${m.toUpperCase()} ${path}`,
            (item as Record<string, Operation>)[m].responses,
          ]),
        ),
      );
    expect(responses(committed)).toEqual(responses(doc));
  });
});
