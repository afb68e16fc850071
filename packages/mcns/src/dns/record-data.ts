import type { Answer } from 'dns-packet';
import type { DnsRecordRow, DnsZone } from './dns-store.js';

/**
 * Stored records are kept in presentation form ("10 mail.example.com", "0 issue \"ca.net\"");
 * this file turns them into dns-packet answers for the encoder. A value the store would never
 * hold (it validates on write) yields undefined and is left out rather than sent malformed.
 */

/** ownerName is the absolute name of a record: '@' is the apex, others are prefixed to it. */
export function ownerName(zone: DnsZone, relative: string): string {
  return relative === '@' ? zone.name : `${relative}.${zone.name}`;
}

/** relativeName is the zone-relative form of an absolute lower-case name, or undefined if outside. */
export function relativeName(zone: DnsZone, name: string): string | undefined {
  if (name === zone.name) return '@';
  if (name.endsWith(`.${zone.name}`)) return name.slice(0, name.length - zone.name.length - 1);
  if (zone.name === '') return name; // the root zone holds every name
  return undefined;
}

/** absolute strips a trailing dot and lower-cases a stored target name. */
export function absolute(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** soaAnswer is the zone's SOA record; its TTL is the zone's minimum (spec 2.7). */
export function soaAnswer(zone: DnsZone): Answer {
  return {
    type: 'SOA',
    name: zone.name,
    ttl: zone.minimumTtl,
    data: {
      mname: absolute(zone.primaryNs),
      rname: mailboxName(zone.adminEmail),
      serial: zone.serial,
      refresh: zone.refresh,
      retry: zone.retry,
      expire: zone.expire,
      minimum: zone.minimumTtl,
    },
  };
}

/**
 * mailboxName turns "hostmaster@example.com" into the SOA RNAME form, escaping dots of the local
 * part (dns-packet's mail encoding keeps "first\.last" as one label); a value already in RNAME
 * form ("hostmaster.example.com.") is kept.
 */
export function mailboxName(email: string): string {
  const at = email.indexOf('@');
  if (at < 0) return absolute(email);
  return `${email.slice(0, at).replace(/\./g, '\\.')}.${absolute(email.slice(at + 1))}`;
}

/** apexNsAnswer is the NS record the zone's primary_ns stands for at the apex. */
export function apexNsAnswer(zone: DnsZone): Answer {
  return { type: 'NS', name: zone.name, ttl: zone.minimumTtl, data: absolute(zone.primaryNs) };
}

/** recordAnswer turns a stored record into a dns-packet answer owned by `owner`. */
export function recordAnswer(record: DnsRecordRow, owner: string): Answer | undefined {
  const ttl = record.ttl;
  const value = record.value;
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { type: record.type, name: owner, ttl, data: value };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { type: record.type, name: owner, ttl, data: absolute(value) };
    case 'MX': {
      const m = /^(\d{1,5})\s+(\S+)$/.exec(value.trim());
      if (!m) return undefined;
      return { type: 'MX', name: owner, ttl, data: { preference: Number(m[1]), exchange: absolute(m[2]!) } };
    }
    case 'SRV': {
      const m = /^(\d{1,5})\s+(\d{1,5})\s+(\d{1,5})\s+(\S+)$/.exec(value.trim());
      if (!m) return undefined;
      const data = { priority: Number(m[1]), weight: Number(m[2]), port: Number(m[3]), target: absolute(m[4]!) };
      return { type: 'SRV', name: owner, ttl, data };
    }
    case 'TXT':
      return { type: 'TXT', name: owner, ttl, data: txtStrings(value) };
    case 'CAA': {
      const m = /^(\d{1,3})\s+([A-Za-z0-9]+)\s+(.*)$/s.exec(value.trim());
      if (!m) return undefined;
      const raw = m[3]!;
      const text = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
      const flags = Number(m[1]);
      // dns-packet's types list three tags; any tag is encoded the same way.
      const tag = m[2]!.toLowerCase() as 'issue';
      return { type: 'CAA', name: owner, ttl, data: { flags, tag, value: text.replace(/\\"/g, '"') } };
    }
    default:
      return undefined;
  }
}

/** txtStrings splits a TXT value into character-strings of at most 255 bytes (RFC 1035 3.3.14). */
export function txtStrings(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return [Buffer.alloc(0)];
  const parts: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += 255) parts.push(bytes.subarray(o, Math.min(o + 255, bytes.length)));
  return parts;
}

/** targetOf is the name a record points at whose addresses belong in the additional section. */
export function targetOf(answer: Answer): string | undefined {
  switch (answer.type) {
    case 'NS':
      return answer.data;
    case 'MX':
      return answer.data.exchange;
    case 'SRV':
      return answer.data.target;
    default:
      return undefined;
  }
}
