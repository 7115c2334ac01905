import '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

export interface PostedFile {
  name: string;
  bytes: Buffer;
  truncated: boolean;
}

type Part = { type: 'field'; value: unknown } | { type: 'file'; filename: string; file: { truncated: boolean }; _buf?: Buffer };

/**
 * A multipart body as @fastify/multipart attaches it (attachFieldsToBody: true): plain fields and
 * at most one file, already in memory (the plugin stops reading at 10 MB and marks it truncated).
 * Any other body gives no fields and no file, and the caller says what is missing.
 */
export function readMultipart(req: FastifyRequest): { fields: Record<string, string | string[]>; file: PostedFile | null } {
  const body = (req.body ?? {}) as Record<string, Part | Part[] | unknown>;
  const fields: Record<string, string | string[]> = {};
  let file: PostedFile | null = null;
  if (!req.isMultipart?.()) return { fields, file };
  for (const [key, raw] of Object.entries(body)) {
    for (const part of (Array.isArray(raw) ? raw : [raw]) as Part[]) {
      if (part?.type === 'file') {
        if (part.filename && !file) file = { name: part.filename, bytes: part._buf ?? Buffer.alloc(0), truncated: part.file?.truncated ?? false };
      } else if (part?.type === 'field' && typeof part.value === 'string') {
        const prev = fields[key];
        fields[key] = prev === undefined ? part.value : Array.isArray(prev) ? [...prev, part.value] : [prev, part.value];
      }
    }
  }
  return { fields, file };
}
