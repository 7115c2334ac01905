import helmet from '@fastify/helmet';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Every page: helmet's defaults (no plugins, framing only by this site, base and form targets this
 * site), with scripts and styles only from this site's own files and no inline code of either
 * kind. The portal's views carry none: no <script>, <style> or style attribute, the money chart
 * included.
 */
const PAGES = {
  useDefaults: true,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    upgradeInsecureRequests: null,
  },
};

/**
 * Swagger UI (/api/docs) and Bull Board (/admin/queues) keep the same rule for scripts (their own
 * files only) but may use inline styles: both templates carry them and both apps add <style>
 * elements as they run. No page of the portal is under these prefixes.
 */
const TOOLS = { ...PAGES, directives: { ...PAGES.directives, styleSrc: ["'self'", "'unsafe-inline'"] } };
const TOOL_PREFIXES = ['/api/docs', '/admin/queues'];

function isToolRoute(url: string): boolean {
  return TOOL_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));
}

/** Helmet's headers on every response, with the policy above (and the tools' own). */
export async function registerContentSecurityPolicy(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Routes added later (Swagger UI's, Bull Board's) under the tools' prefixes get their policy,
  // which helmet reads from the route's config.
  fastify.addHook('onRoute', (route) => {
    if (isToolRoute(route.url))
      route.config = { ...route.config, helmet: { contentSecurityPolicy: TOOLS } } as typeof route.config;
  });
  await app.register(helmet, { contentSecurityPolicy: PAGES });
}
