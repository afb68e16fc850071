import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, enforceAccess } from '../access/index.js';
import type { AccessContext, AccessRule, AccessTable, Caller } from '../access/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** caller is who the access check authenticated; undefined on a public call without a token */
    caller: Caller | undefined;
  }
}

/** AccessReport lists the two ways a route table and an access table can disagree. */
export interface AccessReport {
  /** registered routes (`"<METHOD> <path>"`) with no rule: refused at runtime with 403 */
  readonly unlisted: readonly string[];
  /** REST rules with no registered route: stale entries or typos in the table */
  readonly unused: readonly string[];
}

// Routes are recorded per root instance as fastify registers them (its onRoute hook), because
// fastify itself offers no structured list of routes after the fact.
const registeredRoutes = new WeakMap<FastifyInstance, Set<string>>();

// A REST key is a method, a space and an absolute path; anything else in a table (RPC
// procedure paths such as "/mcias.v1.AccountService/GetAccount") belongs to grpcserver.
const restKeyPattern = /^[A-Z]+ \//;

/** trackRoutes starts recording every route registered on `app` from now on. */
export function trackRoutes(app: FastifyInstance): void {
  if (registeredRoutes.has(app)) return;
  const routes = new Set<string>();
  registeredRoutes.set(app, routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.add(`${String(method).toUpperCase()} ${route.url}`);
  });
}

/**
 * ruleFor finds the rule of one route key. A HEAD route fastify derives from a GET route is
 * covered by the GET rule unless the table lists the HEAD route itself.
 */
export function ruleFor(table: AccessTable, method: string, url: string): AccessRule | undefined {
  const key = `${method} ${url}`;
  if (Object.hasOwn(table, key)) return table[key];
  const getKey = `GET ${url}`;
  if (method === 'HEAD' && Object.hasOwn(table, getKey)) return table[getKey];
  return undefined;
}

/**
 * missingAccessRules compares the routes registered on `app` (which must come from
 * createHttpServer, or have had trackRoutes called first) with `table`. It waits for
 * `app.ready()` so routes of plugins that load lazily are included.
 */
export async function missingAccessRules(app: FastifyInstance, table: AccessTable): Promise<AccessReport> {
  const routes = registeredRoutes.get(app);
  if (!routes) throw new TypeError('missingAccessRules: app was not created by createHttpServer (call trackRoutes first)');
  await app.ready();
  const unlisted = [...routes]
    .filter((key) => {
      const space = key.indexOf(' ');
      return !ruleFor(table, key.slice(0, space), key.slice(space + 1));
    })
    .sort();
  const unused = Object.keys(table)
    .filter((key) => restKeyPattern.test(key) && !routes.has(key))
    .sort();
  return { unlisted, unused };
}

/**
 * assertAccessTableComplete throws when a route has no rule or a REST rule has no route, with
 * every offender listed; services call it in a test so a forgotten entry fails CI.
 */
export async function assertAccessTableComplete(app: FastifyInstance, table: AccessTable): Promise<void> {
  const { unlisted, unused } = await missingAccessRules(app, table);
  const problems = [
    ...unlisted.map((key) => `route "${key}" has no access rule; add it to the access table`),
    ...unused.map((key) => `access rule "${key}" matches no route; remove it or fix its path`),
  ];
  if (problems.length > 0) throw new Error(`access table is incomplete:\n  ${problems.join('\n  ')}`);
}

/**
 * accessHook is the onRequest hook that enforces `table` before any body is read or handler
 * runs (see enforceAccess for the order of checks), and attaches the caller to the request.
 * Unknown routes pass through to the not-found handler so they answer 404, not 403.
 */
export function accessHook(table: AccessTable, ctx: AccessContext): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (request.is404) return;
    const rule = ruleFor(table, request.method, request.routeOptions.url ?? '');
    request.caller = await enforceAccess(rule, bearerToken(request.headers.authorization), ctx);
  };
}
