import { randomUUID } from 'node:crypto';
import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import { callerOf, McError, procedureOf, publicMessageOf, type Logger, type ServiceRegistration } from '@metacircular/mcdsl';
import type { AuditLog, AuditResult } from './audit-log.js';
import { runInAuditScope, type AuditScope } from './audit-scope.js';

/** unauditedProcedures are read-only probes polled all day; auditing them would drown the log. */
export const unauditedProcedures: ReadonlySet<string> = new Set([
  '/metacrypt.v1.SystemService/Status',
  '/grpc.health.v1.Health/Check',
  '/grpc.health.v1.Health/Watch',
]);

const denyCategories = new Set(['unauthenticated', 'forbidden', 'sealed', 'rate_limited']);
const denyCodes = new Set([Code.Unauthenticated, Code.PermissionDenied, Code.ResourceExhausted, Code.Unavailable]);

/** resultOf classifies a thrown value: refusals are 'deny', everything else 'error'. */
export function resultOf(err: unknown): AuditResult {
  if (err instanceof McError) return denyCategories.has(err.category) ? 'deny' : 'error';
  if (err instanceof ConnectError) return denyCodes.has(err.code) ? 'deny' : 'error';
  return 'error';
}

function reasonOf(err: unknown): string {
  return err instanceof ConnectError ? err.rawMessage : publicMessageOf(err);
}

/**
 * auditedServices wraps every unary handler of every service so each call writes one audit
 * record, on gRPC and on transcoded REST alike (both call the same implementation; the REST
 * surface does not run connect interceptors, so an interceptor would miss it). The record has
 * the caller from the access check, the procedure, the `mount` field of the request (or the
 * `name` of a MountService request), the result and the public error message, the policy
 * decision and whatever the engine added with ctx.note(). No request field other than the
 * mount name is ever read, so payloads (passwords, plaintext, keys) cannot reach the log.
 */
export function auditedServices(services: readonly ServiceRegistration[], log: AuditLog, logger?: Logger): ServiceRegistration[] {
  return services.map((reg) => {
    const impl: Record<string, unknown> = { ...reg.impl };
    for (const method of reg.service.methods) {
      const procedure = procedureOf(reg.service, method.name);
      const original = reg.impl[method.localName] as ((req: unknown, ctx: HandlerContext) => unknown) | undefined;
      if (method.methodKind !== 'unary' || !original || unauditedProcedures.has(procedure)) continue;
      const mountOf = procedure.startsWith('/metacrypt.v1.MountService/') ? nameField : mountField;
      impl[method.localName] = async (req: unknown, ctx: HandlerContext): Promise<unknown> => {
        const scope: AuditScope = { requestId: randomUUID(), detail: {} };
        ctx.responseHeader.set('x-request-id', scope.requestId);
        let result: AuditResult = 'allow';
        let reason = '';
        try {
          return await runInAuditScope(scope, () => original.call(reg.impl, req, ctx));
        } catch (err) {
          result = resultOf(err);
          reason = reasonOf(err);
          throw err;
        } finally {
          const caller = callerOf(ctx);
          try {
            log.record({
              caller: caller?.username,
              accountType: caller?.accountType,
              isAdmin: caller?.isAdmin ?? false,
              action: procedure,
              mount: mountOf(req),
              resource: scope.resource,
              result,
              reason: reason || scope.decision,
              requestId: scope.requestId,
              detail: { ...scope.detail, ...(scope.policyAction ? { policy_action: scope.policyAction } : {}) },
            });
          } catch (err) {
            // Fail closed would turn a full disk into a total outage of reads too; log loudly instead.
            logger?.error({ procedure, err: (err as Error).message }, 'audit record failed');
          }
        }
      };
    }
    return { service: reg.service, impl: impl as ServiceRegistration['impl'] };
  });
}

function mountField(req: unknown): string {
  const v = (req as { mount?: unknown } | null)?.mount;
  return typeof v === 'string' ? v : '';
}

function nameField(req: unknown): string {
  const v = (req as { name?: unknown } | null)?.name;
  return typeof v === 'string' ? v : '';
}
