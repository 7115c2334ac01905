import '@fastify/multipart';
import { HttpException } from '@nestjs/common';
import { UseCaseError } from '@sg/domain';
import type { FastifyRequest } from 'fastify';

export interface PostedFile {
  name: string;
  bytes: Buffer;
  truncated: boolean;
}

type Part =
  { type: 'field'; value: unknown } | { type: 'file'; filename: string; file: { truncated: boolean }; _buf?: Buffer };

/**
 * A multipart body as @fastify/multipart attaches it (attachFieldsToBody: true): plain fields and
 * at most one file, already in memory (the plugin stops reading at 10 MB and marks it truncated).
 * Any other body gives no fields and no file, and the caller says what is missing.
 */
export function readMultipart(req: FastifyRequest): {
  fields: Record<string, string | string[]>;
  file: PostedFile | null;
} {
  const body = (req.body ?? {}) as Record<string, Part | Part[] | unknown>;
  const fields: Record<string, string | string[]> = {};
  let file: PostedFile | null = null;
  if (!req.isMultipart?.()) return { fields, file };
  for (const [key, raw] of Object.entries(body)) {
    for (const part of (Array.isArray(raw) ? raw : [raw]) as Part[]) {
      if (part?.type === 'file') {
        if (part.filename && !file)
          file = { name: part.filename, bytes: part._buf ?? Buffer.alloc(0), truncated: part.file?.truncated ?? false };
      } else if (part?.type === 'field' && typeof part.value === 'string') {
        const prev = fields[key];
        fields[key] =
          prev === undefined ? part.value : Array.isArray(prev) ? [...prev, part.value] : [prev, part.value];
      }
    }
  }
  return { fields, file };
}

const READING = Symbol('readingMultipart');

/** Set by hooks either side of the plugin's own (create-api.ts): true while it reads the body. */
export function markReadingMultipart(req: FastifyRequest, reading: boolean): void {
  (req as FastifyRequest & { [READING]?: boolean })[READING] = reading;
}

/**
 * A multipart body the plugin could not read (no boundary, cut short): its parser throws a plain
 * Error, which is the client's mistake, so a 400 rather than a 500. Its limits keep their own 413.
 */
export function unreadableMultipart(req: FastifyRequest | undefined, err: unknown): UseCaseError | undefined {
  if (!req || !(req as FastifyRequest & { [READING]?: boolean })[READING]) return undefined;
  if (err instanceof HttpException || typeof (err as { statusCode?: unknown })?.statusCode === 'number')
    return undefined;
  return new UseCaseError(
    'invalid',
    'invalid_multipart',
    'The form data could not be read: it needs a boundary in its content type and must be complete',
  );
}
