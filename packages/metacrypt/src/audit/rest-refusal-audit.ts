import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from './audit-log.js';
import { recordRefusal } from './refusal-record.js';

const reached = new WeakSet<FastifyRequest>();
const requestIds = new WeakMap<FastifyRequest, string>();

const unauditedRoutes = new Set(['GET /v1/health', 'GET /v1/status']);

/** refusedAction is the audit action of a request refused before any handler, else undefined. */
function refusedAction(request: FastifyRequest, reply: FastifyReply): string | undefined {
  const status = reply.statusCode;
  const route = request.routeOptions.url;
  if (reached.has(request) || status < 400 || status === 404 || route === undefined) return undefined;
  const action = `${request.method} ${route}`;
  return unauditedRoutes.has(action) ? undefined : action;
}

/**
 * auditRestRefusals records the REST requests refused before any handler ran: by the access
 * check (401, 403, 503 while sealed) or by body parsing (400 bad JSON, 413 too large). Calls
 * that reach a handler are recorded by auditedServices (RPCs) or by the engine (raw routes),
 * so this hook skips them; it never looks at the body, only the route and the status. The
 * record's request id is sent as `x-request-id`, as auditedServices does for the calls it records.
 */
export function auditRestRefusals(app: FastifyInstance, log: AuditLog): void {
  app.addHook('preHandler', (request, _reply, done) => {
    reached.add(request);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader('x-request-id') && refusedAction(request, reply) !== undefined) {
      const id = randomUUID();
      requestIds.set(request, id);
      reply.header('x-request-id', id);
    }
    done(null, payload);
  });
  app.addHook('onResponse', async (request, reply) => {
    const action = refusedAction(request, reply);
    if (action === undefined) return;
    const params = (request.params ?? {}) as Record<string, unknown>;
    recordRefusal(log, {
      caller: request.caller,
      action,
      mount: typeof params.mount === 'string' ? params.mount : '',
      status: reply.statusCode,
      requestId: requestIds.get(request) ?? randomUUID(),
    });
  });
}
