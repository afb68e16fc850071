/**
 * dns: the MCNS DNS server (spec 2.7, 2.8; issue 5). Authoritative answers for the store's
 * zones over UDP and TCP, EDNS0 and truncation, forwarding with a bounded cache, AXFR to the
 * secondaries and NOTIFY when a zone changes. The hot path parses queries by hand and serves
 * encoded answers from a cache that the store's change stamp keeps exact.
 */
export { startDnsServer } from './dns-server.js';
export type { DnsServer, StartDnsServerOptions } from './dns-server.js';
export { dnsSection } from './dns-config.js';
export type { DnsConfig, DnsEndpoint, Cidr } from './dns-config.js';
export type { DnsStore, DnsZone, DnsRecordRow } from './dns-store.js';
export type { TcpLimits } from './tcp-listener.js';
