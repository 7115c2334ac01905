import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface LiveRoute {
  method: string;
  /** The path as registered, with its real parameter names, e.g. `/api/v1/applications/:id/files`. */
  path: string;
}

/**
 * Every route the running API answers, read from Fastify's own router: Nest's controllers, the
 * portal's plugins, Swagger and Bull Board alike. `printRoutes()` prints the router's radix tree one
 * node per line (the labels along a branch concatenate to the full path; a node that ends a route
 * has its methods in brackets). (`commonPrefix: false` is no use here: it prints a wildcard without
 * the path before it.) Parameters that share a node print as `:a|:b`, so each path is then
 * looked up with `findRoute`, which answers the matched route's real parameter names. A line that does not
 * resolve to a route throws: the reader never guesses.
 *
 * HEAD routes that Fastify adds beside every GET are folded into their GET; a HEAD route of its
 * own is returned as HEAD.
 */
export function liveRoutes(app: NestFastifyApplication): LiveRoute[] {
  const fastify = app.getHttpAdapter().getInstance();
  const text = fastify.printRoutes();
  const found = new Map<string, Set<string>>();
  const branch: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z]+(?:, [A-Z]+)*)\))?$/.exec(line);
    if (!m) throw new Error(`unreadable line in the route table: ${JSON.stringify(line)}`);
    const depth = m[1].length / 4;
    branch.length = depth;
    branch.push(m[2]);
    if (!m[3]) continue;
    const printed = branch.join('');
    const methods = m[3].split(', ');
    for (const method of methods) {
      // A HEAD registered with constraints (static files) is not found without them: it is its GET's.
      if (
        method === 'HEAD' &&
        methods.includes('GET') &&
        !(fastify as unknown as Router).findRoute({ method, url: paramless(printed) })
      )
        continue;
      const path = realPath(fastify, method, printed);
      if (!found.has(path)) found.set(path, new Set());
      found.get(path)!.add(method);
    }
  }
  const routes: LiveRoute[] = [];
  for (const [path, methods] of found) {
    for (const method of methods) {
      if (method === 'HEAD' && methods.has('GET')) continue;
      routes.push({ method, path });
    }
  }
  return routes.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
}

/** Fastify's router as the instance exposes it: `findRoute` matches a URL (a parameter's value here is its own `:name`), `hasRoute` a pattern. */
type Router = {
  findRoute: (o: { method: string; url: string }) => { params: Record<string, string> } | null;
  hasRoute: (o: { method: string; url: string }) => boolean;
};

/** `/x/:idOrSlug|:id/form` as registered: `/x/:id/form` (the names come from the router itself). */
function realPath(fastify: unknown, method: string, printed: string): string {
  const router = fastify as Router;
  const probe = paramless(printed);
  const route = router.findRoute({ method, url: probe });
  if (!route) throw new Error(`the route table prints ${method} ${printed}, but the router has no such route`);
  const names = Object.keys(route.params).filter((n) => n !== '*');
  let i = 0;
  const path = probe.replace(/:[A-Za-z0-9_]+/g, () => `:${names[i++]}`);
  if (!router.hasRoute({ method, url: path })) throw new Error(`${method} ${path} does not resolve`);
  return path;
}

/** The printed path with each node's first parameter name only: `:idOrSlug|:id` → `:idOrSlug`. */
function paramless(printed: string): string {
  return printed.replace(/(:[A-Za-z0-9_]+)(?:\|:[A-Za-z0-9_]+)+/g, '$1');
}

/** Whether the running API has this exact route (method and path pattern, parameter names aside). */
export function hasLiveRoute(app: NestFastifyApplication, method: string, path: string): boolean {
  return (app.getHttpAdapter().getInstance() as unknown as Router).hasRoute({ method, url: path });
}
