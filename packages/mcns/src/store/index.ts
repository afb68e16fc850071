// store: MCNS's zones and records in SQLite, with the write rules of spec §2.5-2.6 and the DNS read path.
export { McnsStore, openMcnsStore } from './mcns-store.js';
export type { StoreOptions } from './mcns-store.js';
export type { DnsRecord, RecordFilter, RecordInput, RecordType, Seed, Zone, ZoneInput } from './types.js';
export { recordTypes } from './types.js';
export { normalizeDomainName, normalizeRecordName } from './dns-names.js';
export { normalizeRecordValue, parseRecordType, parseTtl } from './record-values.js';
export { nextSerial } from './soa-serial.js';
export { migrations } from './migrations.js';
