import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** The one problem schema (RFC 9457 as problem.ts builds it), registered once as a component. */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details: every error of the API',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://small-grants.org/problems/validation_failed' },
    title: { type: 'string', example: 'Bad request' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong, for a person to read' },
    code: {
      type: 'string',
      description: 'A stable machine-readable code, e.g. `validation_failed`',
      example: 'validation_failed',
    },
    errors: {
      type: 'array',
      description: 'Each problem by field (validation and business rules)',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 422;

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'The request is not valid: each problem is listed by field',
  401: 'No API token, or one that is not valid: send "Authorization: Bearer <token>"',
  403: 'The caller’s role may not do this',
  404: 'No such resource, or one the caller may not see',
  409: 'The resource is not in a state that allows this, or changed meanwhile',
  422: 'The request breaks a business rule; nothing changed',
};

/** A problem+json response of this status, described. */
export function problemResponse(status: number, description: string) {
  return ApiResponse({
    status,
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  });
}

/**
 * The problem+json responses an operation can return, each with the shared schema and a one-line
 * description: `@ApiProblems(400, 401, 404)`, or with an operation's own words for some statuses:
 * `@ApiProblems(401, { 403: 'Not one of the fund’s officers' })`.
 */
export function ApiProblems(...statuses: (ProblemStatus | Partial<Record<ProblemStatus, string>>)[]) {
  const described = new Map<number, string>();
  for (const s of statuses) {
    if (typeof s === 'number') described.set(s, described.get(s) ?? DESCRIPTIONS[s]);
    else for (const [status, text] of Object.entries(s)) described.set(Number(status), text);
  }
  return applyDecorators(...[...described].map(([status, text]) => problemResponse(status, text)));
}
