// @metacircular/mcns: the platform's authoritative DNS server with its record API. The front
// door: start a server, read its config, the API's authorization rule. Test builders are in
// src/testing.ts (startTestMcns).
export { startServer, restBodyLimit } from './main.js';
export type { StartOptions, RunningMcns, Endpoint, DnsAddress } from './main.js';
export {
  loadMcnsConfig,
  parseMcnsConfig,
  mcnsConfigSchema,
  seedOf,
  seedRecordSection,
  seedZoneSection,
  serviceName,
} from './config.js';
export type { McnsConfig, McnsConfigInput } from './config.js';
export { rpcAccess, mcnsAccessTable } from './access-table.js';
export { authorizeRecordWrite, recordWriterOf, mcpAgentUsername } from './authz/index.js';
export type { RecordWriter } from './authz/index.js';
export { recordTypes } from './store/index.js';
export type { DnsRecord, RecordType, Zone } from './store/index.js';
