import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { APPLICATION_SCHEMAS } from '../applications/application.schemas';
import { FUND_SCHEMAS } from '../funds/fund.schemas';
import { ORGANISATION_SCHEMAS } from '../organisations/organisation.schemas';
import { USER_SCHEMAS } from '../users/user.schemas';
import { PROBLEM_SCHEMA } from './api-problems';

/**
 * The response schemas of the JSON API, registered as components by openapi-document.ts and
 * referred to by name from the controllers' response decorators.
 */
export const API_SCHEMAS: Record<string, SchemaObject> = {
  Problem: PROBLEM_SCHEMA,
  ...APPLICATION_SCHEMAS,
  ...FUND_SCHEMAS,
  ...ORGANISATION_SCHEMAS,
  ...USER_SCHEMAS,
};
