import {
  grpcHealthAccess,
  healthAccess,
  withTranscodedAccess,
  type AccessTable,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import type { EngineModule } from './engine/index.js';
import { policyAccess } from './policy/index.js';

/**
 * coreRpcAccess lists the core's RPCs (spec §11.2-11.3). Levels: 'public' needs no token;
 * 'token' any valid token (guests included); 'authenticated' a non-guest token, then the
 * engine asks the policy; 'admin' the MCIAS admin role. `unsealed` rows answer 503 /
 * UNAVAILABLE while Metacrypt is sealed or uninitialized, before the token is looked at.
 *
 * Init is public here and checked in its handler (loopback peer or admin token); Unseal is
 * public and throttled; Snapshot works while sealed (it copies ciphertext).
 */
export const coreRpcAccess: AccessTable = {
  ...grpcHealthAccess,

  '/metacrypt.v1.SystemService/Status': { level: 'public' },
  '/metacrypt.v1.SystemService/Init': { level: 'public' },
  '/metacrypt.v1.SystemService/Unseal': { level: 'public' },
  '/metacrypt.v1.SystemService/Seal': { level: 'admin', unsealed: true },

  '/metacrypt.v1.AuthService/Login': { level: 'public' },
  '/metacrypt.v1.AuthService/Logout': { level: 'token' },
  '/metacrypt.v1.AuthService/TokenInfo': { level: 'token' },

  '/metacrypt.v1.MountService/ListMounts': { level: 'token', unsealed: true },
  '/metacrypt.v1.MountService/CreateMount': { level: 'admin', unsealed: true },
  '/metacrypt.v1.MountService/DeleteMount': { level: 'admin', unsealed: true },

  '/metacrypt.v1.AuditService/ListAuditEvents': { level: 'admin', unsealed: true },

  '/mcdsl.v1.SnapshotService/Snapshot': { level: 'admin' },
};

/**
 * metacryptAccessTable is the one access table of the server: the core's rows, the policy
 * service's, every engine module's RPC rows, one REST row per transcoded route (each with its
 * RPC's rule), the health route and every engine module's raw HTTP routes.
 */
export function metacryptAccessTable(services: readonly ServiceRegistration[], modules: readonly EngineModule[]): AccessTable {
  const rpc: AccessTable = Object.assign({}, coreRpcAccess, policyAccess, ...modules.map((m) => m.access)) as AccessTable;
  const http: AccessTable[] = modules.map((m) => m.httpAccess ?? {});
  return Object.assign({}, withTranscodedAccess(rpc, services), healthAccess, ...http) as AccessTable;
}
