import '@fastify/multipart';
import { HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { MAX_FILE_BYTES, UseCaseError } from '@sg/domain';
import type { FastifyRequest } from 'fastify';
import { unstorableIn } from './storable-text';

export interface PostedFile {
  name: string;
  bytes: Buffer;
  truncated: boolean;
}

/**
 * What one upload may hold: one file of at most 10 MB (a larger one is cut off and marked
 * truncated, and the use case refuses it), 50 fields of 100 KB each. Bodies that declare more
 * than UPLOAD_BODY_LIMIT are refused before anything is read.
 */
export const UPLOAD_LIMITS = {
  fieldNameSize: 200,
  fieldSize: 100 * 1024,
  fields: 50,
  files: 1,
  parts: 51,
  fileSize: MAX_FILE_BYTES,
  headerPairs: 20,
};
/** The file and up to 1 MB of other fields and part headers (the body limit of every other form). */
export const UPLOAD_BODY_LIMIT = MAX_FILE_BYTES + 1024 * 1024;

/**
 * Marks a route as an upload: only these take multipart/form-data (every other route refuses it
 * with 415 before reading it), and read it in the handler with readMultipart, after the caller is
 * authenticated.
 */
export const AcceptsUploads = () => RouteConfig({ uploads: true });

export function isUploadRoute(req: FastifyRequest): boolean {
  return (req.routeOptions?.config as { uploads?: boolean } | undefined)?.uploads === true;
}

/**
 * An onRequest hook: a multipart body declaring more than the route takes (an upload's limit, or
 * every other route's 1 MB) is refused at once with 413, and one sent to a route that takes no
 * uploads with 415; neither is read.
 */
export function refuseUnwantedMultipart(req: FastifyRequest): void {
  if (!/^multipart\//i.test(String(req.headers['content-type'] ?? ''))) return;
  const upload = isUploadRoute(req);
  const limit = upload ? UPLOAD_BODY_LIMIT : (req.routeOptions?.bodyLimit ?? 1024 * 1024);
  if (Number(req.headers['content-length'] ?? 0) > limit)
    throw upload ? tooLarge() : new PayloadTooLargeException('The request is too large: at most 1 MB');
  if (!upload)
    throw new UnsupportedMediaTypeException(
      'Only file uploads take multipart/form-data: send this as application/json (API) or a plain form',
    );
}

function tooLarge(what = 'The upload'): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `${what} is too large: one file of at most 10 MB and at most 50 other fields of 100 KB each`,
  );
}

const CSRF = Symbol('multipartCsrf');
type CsrfCheck = (token: string) => Promise<boolean>;

/**
 * For a page's upload: the CSRF token is the form's first field (the csrf partial comes first in
 * every form), and readMultipart checks it with this before it reads anything further.
 */
export function requireCsrfInMultipart(req: FastifyRequest, check: CsrfCheck): void {
  (req as FastifyRequest & { [CSRF]?: CsrfCheck })[CSRF] = check;
}

/**
 * Reads an upload's multipart body: plain fields and at most one file, within UPLOAD_LIMITS. Call
 * it in the handler, once the caller is authenticated: nothing of the body is read before. A body
 * over a limit is a 413, one it cannot read (no boundary, cut short) a 400, a page's upload
 * without its CSRF token first a 403. What it has not read is then discarded unread.
 */
export async function readMultipart(req: FastifyRequest): Promise<{
  fields: Record<string, string | string[]>;
  file: PostedFile | null;
}> {
  const fields: Record<string, string | string[]> = {};
  let file: PostedFile | null = null;
  if (!req.isMultipart?.()) return { fields, file };
  const csrf = (req as FastifyRequest & { [CSRF]?: CsrfCheck })[CSRF];
  let first = true;
  try {
    for await (const part of req.parts({ limits: UPLOAD_LIMITS })) {
      if (first && csrf) {
        const token = part.type === 'field' && part.fieldname === '_csrf' ? part.value : undefined;
        if (typeof token !== 'string' || !(await csrf(token))) throw invalidCsrf();
      }
      first = false;
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.filename && !file) file = { name: part.filename, bytes, truncated: part.file.truncated };
      } else if (part.fieldnameTruncated || part.valueTruncated) {
        throw tooLarge(`The field ${part.fieldname.slice(0, 50)}`);
      } else if (typeof part.value === 'string') {
        const prev = fields[part.fieldname];
        fields[part.fieldname] =
          prev === undefined ? part.value : Array.isArray(prev) ? [...prev, part.value] : [prev, part.value];
      }
    }
  } catch (err) {
    discardRest(req);
    throw uploadError(err);
  }
  const unstorable = unstorableIn([fields, file ? { file: file.name } : undefined]);
  if (unstorable) throw unstorable;
  return { fields, file };
}

/** As @fastify/csrf-protection refuses a form (the error pages know its code). */
function invalidCsrf(): Error {
  return Object.assign(new Error('Invalid csrf token'), { statusCode: 403, code: 'FST_CSRF_INVALID_TOKEN' });
}

/** Whatever of the body is still coming is read and thrown away, so the answer reaches the client. */
function discardRest(req: FastifyRequest): void {
  req.raw.unpipe();
  req.raw.resume();
}

/** The parser's errors as the client's mistakes: its limits 413, a body it cannot read 400. */
function uploadError(err: unknown): unknown {
  if (err instanceof HttpException || err instanceof UseCaseError) return err;
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (status === 413) return tooLarge();
  if (typeof status === 'number') return err;
  return new UseCaseError(
    'invalid',
    'invalid_multipart',
    'The form data could not be read: it needs a boundary in its content type and must be complete',
  );
}
