import helmet from '@fastify/helmet';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * Every page: scripts and styles only from this site's own files, no inline code of either kind
 * (the portal's views carry none: no <script>, <style> or style attribute, the money chart
 * included), no plugins, no framing.
 */
const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** The two third-party tools whose pages hold inline styles (and set styles at run time). */
const TOOL_PREFIXES = ['/api/docs', '/admin/queues'];

function isToolPage(req: FastifyRequest): boolean {
  return TOOL_PREFIXES.some((p) => req.url === p || req.url.startsWith(`${p}/`) || req.url.startsWith(`${p}?`));
}

function serialise(directives: Record<string, string[] | null>): string {
  return Object.entries(directives)
    .filter((entry): entry is [string, string[]] => entry[1] !== null)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join(';');
}

/**
 * Swagger UI (/api/docs) and Bull Board (/admin/queues) keep the same rule for scripts (their own
 * files only) but may use inline styles: both templates carry them and both apps inject <style>
 * elements. No page of the portal is under these prefixes.
 */
export const TOOL_CONTENT_SECURITY_POLICY = serialise({ ...DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"] });

/** Helmet's headers on every response, with the policy above (and the tools' own). */
export async function registerContentSecurityPolicy(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES } });
  // After helmet's own onRequest hook, so this header replaces its policy on the tools' pages.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (req, reply) => {
      if (isToolPage(req)) void reply.header('content-security-policy', TOOL_CONTENT_SECURITY_POLICY);
    });
}
