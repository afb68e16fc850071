/** RecordType is a record type MCNS stores and serves. */
export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'NS' | 'MX' | 'TXT' | 'SRV' | 'CAA' | 'PTR';

/** recordTypes lists every RecordType, in the order the API documents them. */
export const recordTypes: readonly RecordType[] = ['A', 'AAAA', 'CNAME', 'NS', 'MX', 'TXT', 'SRV', 'CAA', 'PTR'];

/** Zone is one authoritative zone with its SOA parameters. */
export interface Zone {
  readonly id: number;
  /** lower-case, no trailing dot */
  readonly name: string;
  /** absolute host name of the primary server, no trailing dot */
  readonly primaryNs: string;
  readonly adminEmail: string;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimumTtl: number;
  /** YYYYMMDDNN */
  readonly serial: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * DnsRecord is one resource record. `value` is the normalised presentation form with absolute
 * names written without the trailing dot: A "192.0.2.1", AAAA "2001:db8::1", CNAME/NS/PTR
 * "host.example.com", MX "10 mail.example.com", SRV "10 5 443 target.example.com",
 * CAA `0 issue "ca.example.net"`, TXT the text itself.
 */
export interface DnsRecord {
  readonly id: number;
  readonly zoneId: number;
  readonly zone: string;
  /** relative to the zone, lower-case, '@' for the apex */
  readonly name: string;
  readonly type: RecordType;
  readonly value: string;
  readonly ttl: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** ZoneInput creates or (partially) updates a zone. */
export interface ZoneInput {
  readonly name: string;
  readonly primaryNs: string;
  readonly adminEmail: string;
  readonly refresh?: number;
  readonly retry?: number;
  readonly expire?: number;
  readonly minimumTtl?: number;
}

/** RecordInput creates or replaces a record (an update is a full replace). */
export interface RecordInput {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  /** default 300 */
  readonly ttl?: number;
}

/** RecordFilter narrows listRecords. */
export interface RecordFilter {
  readonly name?: string;
  readonly type?: string;
}

/** Seed is the config's zones and records, inserted with INSERT OR IGNORE at start. */
export interface Seed {
  readonly zones: readonly ZoneInput[];
  readonly records: ReadonlyArray<RecordInput & { readonly zone: string }>;
}
