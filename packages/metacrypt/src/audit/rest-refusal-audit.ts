import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog } from './audit-log.js';

const reached = new WeakSet<FastifyRequest>();

const unauditedRoutes = new Set(['GET /v1/health', 'GET /v1/status']);

const reasons: Readonly<Record<number, string>> = {
  400: 'bad request',
  401: 'unauthenticated',
  403: 'forbidden',
  413: 'request body too large',
  415: 'unsupported content type',
  429: 'rate limited',
  503: 'sealed or unavailable',
};

/**
 * auditRestRefusals records the REST requests refused before any handler ran: by the access
 * check (401, 403, 503 while sealed) or by body parsing (400 bad JSON, 413 too large). Calls
 * that reach a handler are recorded by auditedServices (RPCs) or by the engine (raw routes),
 * so this hook skips them; it never looks at the body, only the route and the status.
 */
export function auditRestRefusals(app: FastifyInstance, log: AuditLog): void {
  app.addHook('preHandler', (request, _reply, done) => {
    reached.add(request);
    done();
  });
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const route = request.routeOptions.url;
    if (reached.has(request) || status < 400 || status === 404 || route === undefined) return;
    const action = `${request.method} ${route}`;
    if (unauditedRoutes.has(action)) return;
    const params = (request.params ?? {}) as Record<string, unknown>;
    const caller = request.caller;
    log.record({
      caller: caller?.username,
      accountType: caller?.accountType,
      isAdmin: caller?.isAdmin ?? false,
      action,
      mount: typeof params.mount === 'string' ? params.mount : '',
      result: status === 400 || status === 413 || status === 415 ? 'error' : 'deny',
      reason: reasons[status] ?? `status ${status}`,
      requestId: request.id,
    });
  });
}
