export { enforceAccess, bearerToken } from './access-table.js';
export type { AccessLevel, AccessRule, AccessTable, Caller, Authenticate, AccessContext } from './access-table.js';
