// audit: the security event log (what happened, who did it, to whom, from where; never a secret).
export { AuditEvents } from './audit-events.js';
export type { AuditEventType } from './audit-events.js';
export { AuditLog } from './audit-log.js';
export type { AuditEntry, AuditFilter } from './audit-log.js';
export { systemActor } from './actor.js';
export type { Actor } from './actor.js';
