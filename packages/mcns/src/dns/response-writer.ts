import dnsPacket, { type Answer } from 'dns-packet';
import { CLASS_IN, EDNS_DO, Flag, HEADER_SIZE, QType } from './dns-constants.js';

/**
 * Responses are written here: a header, the question copied byte for byte from the query (so it
 * is echoed exactly as sent, case included, without a decode/encode round trip), the record
 * sections encoded by dns-packet, and our OPT record when the query had one. dns-packet never
 * compresses names, so a cached response's question always sits at offset 12 with the query's
 * length, which is what lets the fast path patch it in place.
 */

/** ResponseOpt is the OPT record we send: our payload size, the extended rcode bits, DO. */
export interface ResponseOpt {
  readonly udpPayloadSize: number;
  /** the upper 8 bits of a 12-bit rcode (BADVERS = 16 is extended 1, header 0) */
  readonly extendedRcode: number;
  readonly dnssecOk: boolean;
}

/** ResponseParts is everything a response is built from. */
export interface ResponseParts {
  readonly id: number;
  /** the flags word without the rcode (QR is always set) */
  readonly flags: number;
  readonly rcode: number;
  /** the question section bytes (name, type, class), or an empty buffer for none */
  readonly question: Uint8Array;
  readonly answers?: readonly Answer[];
  readonly authorities?: readonly Answer[];
  readonly additionals?: readonly Answer[];
  readonly opt?: ResponseOpt | undefined;
}

const OPT_SIZE = 11;

// dns-packet's per-record codec is public (`dnsPacket.answer`) but missing from its typings.
interface RecordCodec {
  encode: ((rr: Answer, buf: Buffer, offset: number) => Buffer) & { bytes: number };
  encodingLength(rr: Answer): number;
}
const recordCodec = (dnsPacket as unknown as { answer: RecordCodec }).answer;

/** encodeResponse writes a whole response message. */
export function encodeResponse(parts: ResponseParts): Buffer {
  const answers = parts.answers ?? [];
  const authorities = parts.authorities ?? [];
  const additionals = parts.additionals ?? [];
  let size = HEADER_SIZE + parts.question.length + (parts.opt ? OPT_SIZE : 0);
  for (const list of [answers, authorities, additionals]) {
    for (const rr of list) size += recordCodec.encodingLength(rr);
  }
  const buf = Buffer.alloc(size);
  writeHeader(buf, parts, parts.question.length > 0 ? 1 : 0, answers.length, authorities.length, additionals.length);
  let o = HEADER_SIZE;
  buf.set(parts.question, o);
  o += parts.question.length;
  for (const list of [answers, authorities, additionals]) {
    for (const rr of list) {
      recordCodec.encode(rr, buf, o);
      o += recordCodec.encode.bytes;
    }
  }
  if (parts.opt) o = writeOpt(buf, o, parts.opt);
  // Mailbox escapes ("a\.b") are counted by encodingLength but not written.
  return o === buf.length ? buf : buf.subarray(0, o);
}

function writeHeader(buf: Buffer, parts: ResponseParts, qd: number, an: number, ns: number, ar: number): void {
  buf.writeUInt16BE(parts.id & 0xffff, 0);
  buf.writeUInt16BE((parts.flags | Flag.QR | (parts.rcode & 0xf)) & 0xffff, 2);
  buf.writeUInt16BE(qd, 4);
  buf.writeUInt16BE(an, 6);
  buf.writeUInt16BE(ns, 8);
  buf.writeUInt16BE(ar + (parts.opt ? 1 : 0), 10);
}

/** writeOpt writes an OPT record with no options at `offset` and returns the offset after it. */
export function writeOpt(buf: Buffer, offset: number, opt: ResponseOpt): number {
  buf[offset] = 0; // root owner
  buf.writeUInt16BE(QType.OPT, offset + 1);
  buf.writeUInt16BE(opt.udpPayloadSize, offset + 3);
  buf[offset + 5] = opt.extendedRcode & 0xff;
  buf[offset + 6] = 0; // EDNS version 0
  buf.writeUInt16BE(opt.dnssecOk ? EDNS_DO : 0, offset + 7);
  buf.writeUInt16BE(0, offset + 9);
  return offset + OPT_SIZE;
}

/**
 * errorResponse is a response with no records: the rcode (extended bits go in the OPT record),
 * the question when there is one, and OPT when the query had EDNS.
 */
export function errorResponse(
  id: number,
  queryFlags: number,
  rcode: number,
  question: Uint8Array,
  opt: ResponseOpt | undefined,
  extraFlags = 0,
): Buffer {
  const opcodeAndRd = queryFlags & (0x7800 | Flag.RD | Flag.CD);
  return encodeResponse({
    id,
    flags: opcodeAndRd | extraFlags,
    rcode: rcode & 0xf,
    question,
    opt: opt ? { ...opt, extendedRcode: rcode >> 4 } : undefined,
  });
}

/**
 * formErrResponse answers a message whose header was readable but whose body was not: the ID and
 * opcode are kept, the sections are empty (the question could not be read back).
 */
export function formErrResponse(msg: Buffer): Buffer {
  const id = (msg[0]! << 8) | msg[1]!;
  const flags = (msg[2]! << 8) | msg[3]!;
  return errorResponse(id, flags, 1, new Uint8Array(0), undefined);
}

/** truncatedResponse is the header of `full` with TC set and only the question and OPT kept. */
export function truncatedResponse(parts: ResponseParts): Buffer {
  return encodeResponse({
    id: parts.id,
    flags: parts.flags | Flag.TC,
    rcode: parts.rcode,
    question: parts.question,
    opt: parts.opt,
  });
}

/** questionBytes encodes a question for a lower-case text name ("" is the root), class IN. */
export function questionBytes(name: string, qtype: number): Buffer {
  const labels = name === '' ? [] : name.split('.').map((label) => Buffer.from(label, 'latin1'));
  const out = Buffer.alloc(labels.reduce((n, l) => n + l.length + 1, 0) + 5);
  let o = 0;
  for (const label of labels) {
    out[o++] = label.length;
    label.copy(out, o);
    o += label.length;
  }
  out[o] = 0;
  out.writeUInt16BE(qtype, o + 1);
  out.writeUInt16BE(CLASS_IN, o + 3);
  return out;
}
