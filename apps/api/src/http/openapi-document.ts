import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiModule } from '../app.module';
import { API_SCHEMAS } from './api-schemas';

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
