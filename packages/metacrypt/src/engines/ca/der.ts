/**
 * A minimal DER (X.690) writer and reader for the certificates and CRLs the engine signs. It
 * exists for speed: @peculiar/asn1-schema, which we still use to parse what clients send (CSRs,
 * imported roots), spends milliseconds per structure on reflection, several times the cost of
 * generating and signing with node:crypto. Issuance builds every certificate from these few
 * encoders instead; the tests check the output with openssl.
 */

/** tlv encodes one element: tag byte, DER length, content. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else if (n < 0x100) header = [tag, 0x81, n];
  else if (n < 0x10000) header = [tag, 0x82, n >> 8, n & 0xff];
  else header = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(header), content]);
}

/** seq is a SEQUENCE of already-encoded elements. */
export function seq(...items: Uint8Array[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** set is a SET (of one element, or of elements already in DER order). */
export function set(...items: Uint8Array[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

/** explicit is a constructed context-specific tag [n] around encoded content. */
export function explicit(n: number, ...items: Uint8Array[]): Buffer {
  return tlv(0xa0 | n, Buffer.concat(items));
}

/** implicit is a primitive context-specific tag [n] replacing a primitive type's tag. */
export function implicit(n: number, content: Uint8Array): Buffer {
  return tlv(0x80 | n, content);
}

/** bool is a BOOLEAN. */
export function bool(v: boolean): Buffer {
  return tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
}

/** integer encodes a non-negative integer given as big-endian bytes or a small number. */
export function integer(value: Uint8Array | number): Buffer {
  let bytes: Buffer;
  if (typeof value === 'number') {
    const hex = value.toString(16);
    bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  } else {
    bytes = Buffer.from(value);
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** octets is an OCTET STRING. */
export function octets(content: Uint8Array): Buffer {
  return tlv(0x04, content);
}

/** bits is a BIT STRING of whole bytes (no unused bits), as for signatures and keys. */
export function bits(content: Uint8Array): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
}

/** namedBits is a BIT STRING of flags (bit 0 first), minimal as DER wants (KeyUsage, ReasonFlags). */
export function namedBits(flagBits: readonly number[]): Buffer {
  const highest = Math.max(...flagBits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of flagBits) bytes[b >> 3] = (bytes[b >> 3] ?? 0) | (0x80 >> (b & 7));
  const unused = 7 - (highest % 8);
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** oid encodes a dotted OBJECT IDENTIFIER. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number): void => {
    const chunk = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  };
  push((arcs[0] ?? 0) * 40 + (arcs[1] ?? 0));
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(0x06, Buffer.from(out));
}

/** utf8 is a UTF8String. */
export function utf8(s: string): Buffer {
  return tlv(0x0c, Buffer.from(s, 'utf8'));
}

/** time is an X.509 Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
export function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

/** DerElement is one element found by the reader: its tag and where its bytes are. */
export interface DerElement {
  readonly tag: number;
  /** the whole element, header included */
  readonly raw: Buffer;
  /** the content only */
  readonly content: Buffer;
}

/** readElement reads the element at `offset` (no indefinite lengths: DER has none). */
export function readElement(buf: Buffer, offset = 0): DerElement {
  const tag = buf[offset];
  let len = buf[offset + 1];
  if (tag === undefined || len === undefined) throw new RangeError('der: truncated header');
  let head = 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('der: unsupported length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (buf[offset + 2 + i] ?? 0);
    head += count;
  }
  const end = offset + head + len;
  if (end > buf.length) throw new RangeError('der: truncated content');
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + head, end) };
}

/** children reads the elements inside a constructed element's content. */
export function children(content: Buffer): DerElement[] {
  const out: DerElement[] = [];
  for (let offset = 0; offset < content.length;) {
    const el = readElement(content, offset);
    out.push(el);
    offset += el.raw.length;
  }
  return out;
}
