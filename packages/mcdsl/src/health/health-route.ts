import type { FastifyInstance } from 'fastify';
import type { AccessTable } from '../access/index.js';
import { McError } from '../errors/index.js';

/** healthPath is the one health endpoint every service exposes. */
export const healthPath = '/v1/health';

/** healthAccess is the access-table entry of the health route: anyone may ask. */
export const healthAccess: AccessTable = { [`GET ${healthPath}`]: { level: 'public' } };

/** HealthOptions name what "healthy" means for a service beyond answering at all. */
export interface HealthOptions {
  /** throws when a dependency is down, e.g. a database ping; absent means always healthy */
  readonly check?: () => void | Promise<void>;
}

/**
 * registerHealthRoute adds `GET /v1/health`: 200 `{"status":"ok"}`, or 503
 * `{"status":"unhealthy","error":"..."}` when the check throws. The error text is the
 * McError's message, or a fixed "health check failed" for anything else, since the route is
 * public and an unexpected error's details belong in the log.
 */
export function registerHealthRoute(app: FastifyInstance, opts: HealthOptions = {}): void {
  app.get(healthPath, async (request, reply) => {
    try {
      await opts.check?.();
      return { status: 'ok' };
    } catch (err) {
      request.log.warn({ err }, 'health check failed');
      const error = err instanceof McError ? err.message : 'health check failed';
      return reply.code(503).send({ status: 'unhealthy', error });
    }
  });
}
