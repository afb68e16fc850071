import { HealthCheckResponse_ServingStatus, Health } from '@metacircular/proto/grpc/health/v1/health_pb';
import type { AccessTable } from '../access/index.js';
import { registerService, type ServiceRegistration } from './service-registration.js';

/**
 * grpcHealthService serves the standard grpc.health.v1.Health service, so stock probes work.
 * `check` is the same liveness check the REST /v1/health route runs (e.g. a db ping); it throws
 * when the service is unhealthy. Watch sends the current status once, then holds the stream
 * open until the caller leaves or the server shuts down, as the protocol expects.
 */
export function grpcHealthService(check: () => void | Promise<void> = () => {}): ServiceRegistration {
  const status = async () => {
    try {
      await check();
      return HealthCheckResponse_ServingStatus.SERVING;
    } catch {
      return HealthCheckResponse_ServingStatus.NOT_SERVING;
    }
  };
  return registerService(Health, {
    async check() {
      return { status: await status() };
    },
    async *watch(_req, ctx) {
      yield { status: await status() };
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  });
}

/** grpcHealthAccess lists the health RPCs as public. */
export const grpcHealthAccess: AccessTable = {
  '/grpc.health.v1.Health/Check': { level: 'public' },
  '/grpc.health.v1.Health/Watch': { level: 'public' },
};
