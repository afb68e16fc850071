import { grpcHealthAccess, withTranscodedAccess, type AccessTable, type ServiceRegistration } from '@metacircular/mcdsl';

/**
 * The one access table of MCNS (spec 2.10 and 2.11): every RPC with its level; the REST rows
 * are derived from the RPCs' google.api.http annotations (mcnsAccessTable), so each rule is
 * written once and both surfaces enforce it before a handler runs.
 *
 * Levels: 'public' needs no token; 'token' any valid token, guests included; 'authenticated'
 * any valid token of a non-guest account; 'admin' the MCIAS admin role. Guests get no API
 * access at all: listing a zone's records is a zone transfer, which MCNS refuses to strangers
 * on the DNS port too (the spec leaves guests open; this is the stricter reading).
 *
 * Record writes are 'authenticated' here and narrowed inside the handler by the name-scoped
 * check of authz/ (admin: any; system account mcp-agent: any; other system account X: only
 * records named X; people: none).
 */
export const rpcAccess: AccessTable = {
  ...grpcHealthAccess,

  // AdminService
  '/mcns.v1.AdminService/Health': { level: 'public' },

  // AuthService
  '/mcns.v1.AuthService/Login': { level: 'public' },
  '/mcns.v1.AuthService/Logout': { level: 'token' },

  // ZoneService: reads for every account but guests, mutations admin-only
  '/mcns.v1.ZoneService/ListZones': { level: 'authenticated' },
  '/mcns.v1.ZoneService/GetZone': { level: 'authenticated' },
  '/mcns.v1.ZoneService/CreateZone': { level: 'admin' },
  '/mcns.v1.ZoneService/UpdateZone': { level: 'admin' },
  '/mcns.v1.ZoneService/DeleteZone': { level: 'admin' },

  // RecordService: writes are name-scoped in the handler (authz/)
  '/mcns.v1.RecordService/ListRecords': { level: 'authenticated' },
  '/mcns.v1.RecordService/GetRecord': { level: 'authenticated' },
  '/mcns.v1.RecordService/CreateRecord': { level: 'authenticated' },
  '/mcns.v1.RecordService/UpdateRecord': { level: 'authenticated' },
  '/mcns.v1.RecordService/DeleteRecord': { level: 'authenticated' },
};

/** mcnsAccessTable is the RPC table plus one REST row per transcoded route. */
export function mcnsAccessTable(services: readonly ServiceRegistration[]): AccessTable {
  return withTranscodedAccess(rpcAccess, services);
}
