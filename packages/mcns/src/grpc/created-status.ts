import type { FastifyInstance } from 'fastify';
import { transcodedRoutes, type ServiceRegistration } from '@metacircular/mcdsl';

/**
 * answerCreatedWith201 makes the REST surface answer a successful Create* RPC with 201 Created
 * (spec 2.9: "POST /v1/zones/{zone}/records ... 201"). mcdsl's transcoding answers 200 for
 * every message and has no per-RPC status, so this onSend hook rewrites exactly those routes'
 * 200 to 201; errors keep their status. gRPC has no such distinction and is unaffected.
 */
export function answerCreatedWith201(app: FastifyInstance, services: readonly ServiceRegistration[]): void {
  const created = new Set(
    transcodedRoutes(services)
      .filter((route) => route.httpMethod === 'POST' && route.method.name.startsWith('Create'))
      .map((route) => route.route),
  );
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.method === 'POST' && reply.statusCode === 200 && created.has(request.routeOptions.url ?? '')) reply.code(201);
    done(null, payload);
  });
}
