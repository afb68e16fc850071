import { Flag, HEADER_SIZE, QType } from './dns-constants.js';
import { readU16, skipName, skipPlainName } from './message-walker.js';

/**
 * The hand parser of the hot path: it reads the header, the one question and the OPT record of
 * a query in place, with no dns-packet decode and no per-label allocation. What it cannot make
 * sense of is sorted into two outcomes: DROP (shorter than a header, or a response, which must
 * never be answered or two servers could loop) and FORMERR (a readable header, a broken body).
 */

/** EdnsInfo is what the query's OPT record asks for (RFC 6891). */
export interface EdnsInfo {
  /** the requester's UDP payload size, as sent */
  readonly udpSize: number;
  readonly version: number;
  /** the DNSSEC OK bit */
  readonly dnssecOk: boolean;
}

/** ParsedQuery is a query whose header and question were read; offsets point into the message. */
export interface ParsedQuery {
  readonly kind: 'query';
  readonly id: number;
  /** the whole 16-bit flags word as sent */
  readonly flags: number;
  readonly opcode: number;
  /** offset just after the question name (it starts at 12) */
  readonly nameEnd: number;
  /** offset just after QTYPE and QCLASS */
  readonly questionEnd: number;
  readonly qtype: number;
  readonly qclass: number;
  /** undefined when the query carries no OPT record */
  readonly edns: EdnsInfo | undefined;
}

/** Unanswerable is a message that gets FORMERR (header readable) or nothing at all. */
export interface Unanswerable {
  readonly kind: 'formerr' | 'drop';
}

/** DROP is the outcome for garbage shorter than a header and for responses. */
export const DROP: Unanswerable = Object.freeze({ kind: 'drop' });
/** FORMERR is the outcome for a readable header followed by a malformed question or OPT. */
export const FORMERR: Unanswerable = Object.freeze({ kind: 'formerr' });

/**
 * parseQuery reads a query message. A message that is not QUERY (e.g. NOTIFY, UPDATE) is still
 * returned parsed so the caller can answer NOTIMP with its question echoed; if even its question
 * is unreadable it is FORMERR.
 */
export function parseQuery(msg: Buffer): ParsedQuery | Unanswerable {
  if (msg.length < HEADER_SIZE) return DROP;
  const flags = (msg[2]! << 8) | msg[3]!;
  if ((flags & Flag.QR) !== 0) return DROP;
  if (msg[4] !== 0 || msg[5] !== 1) return FORMERR; // exactly one question
  const nameEnd = skipPlainName(msg, HEADER_SIZE);
  if (nameEnd < 0) return FORMERR;
  const questionEnd = nameEnd + 4;
  if (questionEnd > msg.length) return FORMERR;
  const qtype = readU16(msg, nameEnd);
  const qclass = readU16(msg, nameEnd + 2);
  let edns: EdnsInfo | undefined;
  const ancount = readU16(msg, 6);
  const nscount = readU16(msg, 8);
  const arcount = readU16(msg, 10);
  if (ancount + nscount + arcount > 0) {
    // Walk the other sections only to find the OPT record (IXFR queries carry an SOA in the
    // authority section; TSIG would sit in additional).
    let o = questionEnd;
    const total = ancount + nscount + arcount;
    for (let i = 0; i < total; i++) {
      const start = o;
      const typeOffset = skipName(msg, o);
      if (typeOffset < 0 || typeOffset + 10 > msg.length) return FORMERR;
      const end = typeOffset + 10 + readU16(msg, typeOffset + 8);
      if (end > msg.length) return FORMERR;
      if (readU16(msg, typeOffset) === QType.OPT) {
        // One OPT, in the additional section, owned by the root (RFC 6891 6.1.1).
        if (edns !== undefined || i < ancount + nscount || msg[start] !== 0) return FORMERR;
        edns = {
          udpSize: readU16(msg, typeOffset + 2),
          version: msg[typeOffset + 5]!,
          dnssecOk: (msg[typeOffset + 6]! & 0x80) !== 0,
        };
      }
      o = end;
    }
  }
  return {
    kind: 'query',
    id: (msg[0]! << 8) | msg[1]!,
    flags,
    opcode: (flags >> 11) & 0xf,
    nameEnd,
    questionEnd,
    qtype,
    qclass,
    edns,
  };
}

/**
 * nameKeyOf is the cache key form of the question name: its wire bytes as a latin1 string with
 * ASCII A-Z lowered. Label length octets are 0-63 and never letters, so lowering is safe. Only
 * ASCII folds (RFC 4343): String#toLowerCase would also fold latin1 0xC0-0xDE onto 0xE0-0xFE
 * and let two different names share one cached (forwarded) answer, so names holding such bytes
 * (never a real host name) are lowered byte by byte.
 */
export function nameKeyOf(msg: Buffer, query: ParsedQuery): string {
  const text = msg.toString('latin1', HEADER_SIZE, query.nameEnd);
  return nonAscii.test(text) ? text.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : text.toLowerCase();
}

const nonAscii = /[\x80-\xff]/;

// Bytes that may appear unescaped in the text form: lower-case letters, digits, '-', '_', '*'.
const plain = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789-_*') plain[c.charCodeAt(0)] = 1;

/**
 * wireNameText turns the uncompressed name at `offset` into lower-case text with no trailing dot
 * ("" for the root). Bytes outside [a-z0-9-_*] become \DDD escapes, so a label holding a '.'
 * can never be mistaken for two labels when zones are matched by suffix.
 */
export function wireNameText(msg: Uint8Array, offset: number): string {
  const labels: string[] = [];
  let o = offset;
  for (;;) {
    const len = msg[o] ?? 0;
    if (len === 0 || (len & 0xc0) !== 0) break;
    let label = '';
    for (let i = o + 1; i <= o + len && i < msg.length; i++) {
      let b = msg[i]!;
      if (b >= 65 && b <= 90) b += 32;
      label += plain[b] === 1 ? String.fromCharCode(b) : '\\' + String(b).padStart(3, '0');
    }
    labels.push(label);
    o += len + 1;
  }
  return labels.join('.');
}
