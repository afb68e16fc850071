/**
 * DnsStore is the read side of the MCNS store that the DNS server uses: the synchronous,
 * prepared-statement lookups of the query path, the whole-zone read of AXFR, and the change
 * signals (a stamp that moves on every write by any process, and an in-process listener that
 * fires after each commit). McnsStore satisfies it structurally; unit tests use a small
 * in-memory one.
 */

/** DnsZone is the part of a zone the DNS server reads (names lower-case, no trailing dot). */
export interface DnsZone {
  readonly id: number;
  readonly name: string;
  readonly primaryNs: string;
  readonly adminEmail: string;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimumTtl: number;
  readonly serial: number;
}

/** DnsRecordRow is one stored record: `name` relative ('@' = apex), `value` in presentation form. */
export interface DnsRecordRow {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly ttl: number;
}

/** DnsStore is what startDnsServer needs from the store. */
export interface DnsStore {
  /** findZoneFor returns the zone with the longest name that is a suffix of `qname` */
  findZoneFor(qname: string): DnsZone | undefined;
  /** recordsAt lists the records at a relative name ('@' for the apex) */
  recordsAt(zoneId: number, name: string): DnsRecordRow[];
  /** hasNamesBelow tells whether some record lives below `name` (an empty non-terminal) */
  hasNamesBelow(zoneId: number, name: string): boolean;
  /** allRecords lists the whole zone (AXFR) */
  allRecords(zoneId: number): DnsRecordRow[];
  /** changeStamp changes after any committed write by any process */
  changeStamp(): string;
  /** onChange calls `listener` after each in-process commit that changed a zone */
  onChange(listener: (zone: DnsZone) => void): () => void;
}
