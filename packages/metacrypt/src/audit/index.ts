// audit: the audit log (a plain SQLite table, no secrets) and the wrappers that write one
// record per RPC, per refused REST or gRPC request and per engine-side operation.
export { AuditLog } from './audit-log.js';
export type { AuditEvent, AuditFilter, AuditRecord, AuditResult } from './audit-log.js';
export { currentAuditScope, runInAuditScope } from './audit-scope.js';
export type { AuditScope } from './audit-scope.js';
export { auditedServices, unauditedProcedures } from './audited-services.js';
export { auditRestRefusals } from './rest-refusal-audit.js';
export { grpcRefusalAuditor } from './grpc-refusal-audit.js';
