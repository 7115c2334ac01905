import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiModule } from '../app.module';
import { API_SCHEMAS } from './api-schemas';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** What every JSON body can meet before its handler, whichever operation it is sent to. */
const BODY_PROBLEMS: Record<string, string> = {
  '413': 'The body is over 1 MB',
  '415': 'The body is not application/json',
};

/** The API description: every JSON operation with its response schemas and problem+json errors. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Small Grants API')
    .setDescription(
      'A workflow engine for small grants funds. Money is integer pence. Errors are application/problem+json. ' +
        'Every application carries `state` and the caller’s `allowedActions`; lifecycle actions are ' +
        '`POST /api/v1/applications/{id}/actions/{action}`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...API_SCHEMAS } };
  for (const item of Object.values(doc.paths))
    for (const op of [item.post, item.put, item.patch]) {
      if (!op?.requestBody || !('content' in op.requestBody) || !op.requestBody.content['application/json']) continue;
      for (const [status, description] of Object.entries(BODY_PROBLEMS))
        op.responses[status] ??= {
          description,
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
        };
    }
  return doc;
}

/**
 * The document without PostgreSQL or Redis: the application in preview mode, whose modules and
 * controllers are read but whose providers (the data source, the queues) are never instantiated.
 */
export async function previewApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.create(), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return createApiDocument(app);
  } finally {
    await app.close();
  }
}
