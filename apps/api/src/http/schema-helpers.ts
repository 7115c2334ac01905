import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export type Schema = SchemaObject | ReferenceObject;

/** A reference to a schema registered in API_SCHEMAS. */
export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** `{ items: [...] }`, the shape of every list the API answers. */
export const itemsOf = (item: Schema, extra: Record<string, Schema> = {}): SchemaObject => ({
  type: 'object',
  required: ['items', ...Object.keys(extra)],
  properties: { items: { type: 'array', items: item }, ...extra },
});

/** An object whose listed properties are all present (others may be added later). */
export const shape = (properties: Record<string, Schema>, description?: string): SchemaObject => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties),
  properties,
});

export const nullable = (s: SchemaObject): SchemaObject => ({ ...s, nullable: true });

export const str: SchemaObject = { type: 'string' };
export const int: SchemaObject = { type: 'integer' };
export const bool: SchemaObject = { type: 'boolean' };
export const uuid: SchemaObject = { type: 'string', format: 'uuid' };
export const pence: SchemaObject = { type: 'integer', description: 'pence' };
export const date: SchemaObject = { type: 'string', format: 'date' };
export const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
export const strings: SchemaObject = { type: 'array', items: str };
export const anyObject: SchemaObject = { type: 'object', additionalProperties: true };
export const person = shape({ userId: uuid, displayName: str });

/** A download: the bytes, in the media type given. */
export const binary = (mediaType: string) => ({ [mediaType]: { schema: { type: 'string', format: 'binary' } } });
