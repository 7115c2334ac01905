import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';

/**
 * Sends a stored upload as an attachment, never inline: a document is downloaded, not rendered in
 * our origin, and nosniff stops a browser second-guessing the type we checked.
 */
export async function sendStoredFile(
  reply: FastifyReply,
  f: { file: { name: string; contentType: string; sizeBytes: number }; stream: Readable },
): Promise<void> {
  const ascii = f.file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  await reply
    .header('content-type', f.file.contentType)
    .header('content-length', String(f.file.sizeBytes))
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.file.name)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(f.stream);
}
