import { randomUUID } from 'node:crypto';
import { httpStatusOf, type Logger, type RefusalInfo } from '@metacircular/mcdsl';
import type { AuditLog } from './audit-log.js';
import { unauditedProcedures } from './audited-services.js';
import { recordRefusal } from './refusal-record.js';

/**
 * grpcRefusalAuditor is createGrpcServer's onRefused hook: it records the gRPC calls the access
 * check refused (no or bad token, guest, not admin, sealed, not in the table), which never reach
 * auditedServices. The request message is not read, so the mount is empty; a failed write is
 * logged, never sent to the caller.
 */
export function grpcRefusalAuditor(log: AuditLog, logger?: Logger): (info: RefusalInfo) => void {
  return ({ procedure, error, caller }) => {
    if (unauditedProcedures.has(procedure)) return;
    try {
      recordRefusal(log, {
        caller,
        action: procedure,
        mount: '',
        status: httpStatusOf(error),
        requestId: randomUUID(),
      });
    } catch (err) {
      logger?.error({ procedure, err: (err as Error).message }, 'audit record failed');
    }
  };
}
