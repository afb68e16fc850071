import { isIPv4, isIPv6 } from 'node:net';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { normalizeDomainName } from './dns-names.js';
import { recordTypes, type RecordType } from './types.js';

/** maxTxtLength bounds a TXT value; the wire encoder splits it into 255-octet strings. */
export const maxTxtLength = 4000;

/** parseRecordType accepts a type name in any case and returns the RecordType. */
export function parseRecordType(raw: string): RecordType {
  const type = raw.trim().toUpperCase();
  if (!(recordTypes as readonly string[]).includes(type)) {
    throw new InvalidRequestError(`type: ${JSON.stringify(raw)} is not supported; use one of ${recordTypes.join(', ')}`);
  }
  return type as RecordType;
}

/** parseTtl checks a TTL (spec: 1 to 2^31-1 seconds) and applies the default of 300. */
export function parseTtl(raw: number | undefined, field = 'ttl'): number {
  if (raw === undefined || raw === 0) return 300;
  if (!Number.isInteger(raw) || raw < 1 || raw > 2147483647) {
    throw new InvalidRequestError(`${field}: must be a whole number of seconds from 1 to 2147483647, got ${raw}`);
  }
  return raw;
}

/**
 * normalizeRecordValue validates a value for its type and returns the one stored form, so equal
 * records compare equal (the UNIQUE constraint then catches duplicates written differently).
 */
export function normalizeRecordValue(type: RecordType, raw: string): string {
  const value = raw.trim();
  switch (type) {
    case 'A':
      if (!isIPv4(value)) throw new InvalidRequestError(`value: an A record needs an IPv4 address, got ${JSON.stringify(raw)}`);
      return value;
    case 'AAAA':
      if (!isIPv6(value))
        throw new InvalidRequestError(`value: an AAAA record needs an IPv6 address, got ${JSON.stringify(raw)}`);
      return new URL(`http://[${value}]/`).hostname.slice(1, -1);
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return normalizeDomainName(value, 'value');
    case 'MX': {
      const [pref, host, ...rest] = value.split(/\s+/);
      if (host === undefined || rest.length > 0) {
        throw new InvalidRequestError(`value: an MX record is "<preference> <host>", got ${JSON.stringify(raw)}`);
      }
      return `${uint16(pref, 'MX preference')} ${normalizeDomainName(host, 'value')}`;
    }
    case 'SRV': {
      const parts = value.split(/\s+/);
      if (parts.length !== 4) {
        throw new InvalidRequestError(
          `value: an SRV record is "<priority> <weight> <port> <target>", got ${JSON.stringify(raw)}`,
        );
      }
      const [priority, weight, port, target] = parts as [string, string, string, string];
      const host = target === '.' ? '.' : normalizeDomainName(target, 'value');
      return `${uint16(priority, 'SRV priority')} ${uint16(weight, 'SRV weight')} ${uint16(port, 'SRV port')} ${host}`;
    }
    case 'CAA':
      return normalizeCaa(value, raw);
    case 'TXT':
      if (value.length === 0) throw new InvalidRequestError('value: a TXT record needs some text');
      if (Buffer.byteLength(raw, 'utf8') > maxTxtLength) {
        throw new InvalidRequestError(`value: a TXT value is at most ${maxTxtLength} bytes`);
      }
      // TXT keeps its exact text (spaces included): only the other types are trimmed
      return raw;
  }
}

function uint16(raw: string | undefined, what: string): number {
  const n = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || n > 65535) {
    throw new InvalidRequestError(`value: ${what} must be a whole number from 0 to 65535, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function normalizeCaa(value: string, raw: string): string {
  const match = /^(\d{1,3})\s+([A-Za-z0-9]{1,15})\s+(?:"((?:[^"\\]|\\.)*)"|(\S+))$/.exec(value);
  if (!match) {
    throw new InvalidRequestError(
      `value: a CAA record is '<flags> <tag> "<value>"', e.g. '0 issue "ca.example.net"', got ${JSON.stringify(raw)}`,
    );
  }
  const flags = Number(match[1]);
  if (flags > 255) throw new InvalidRequestError(`value: CAA flags must be 0-255, got ${flags}`);
  const tag = (match[2] ?? '').toLowerCase();
  const text = match[3] ?? match[4] ?? '';
  return `${flags} ${tag} "${text}"`;
}
