/**
 * A bounds-checked walk over the resource records of a DNS message without decoding them: where
 * each record's type, class, TTL and data sit. The hot path uses it to find a query's OPT
 * record, the forwarder to age TTLs and drop OPT in cached upstream answers. Nothing here
 * allocates per byte; every read is checked against the message length.
 */

/** RecordSpan locates one resource record inside a message. */
export interface RecordSpan {
  /** offset of the owner name */
  readonly start: number;
  /** offset of the TYPE field (the name ends here) */
  readonly typeOffset: number;
  readonly type: number;
  readonly klass: number;
  /** offset of the 32-bit TTL field */
  readonly ttlOffset: number;
  readonly ttl: number;
  /** offset of RDATA and its length */
  readonly dataOffset: number;
  readonly dataLength: number;
  /** offset just after the record */
  readonly end: number;
  /** 0 answer, 1 authority, 2 additional */
  readonly section: 0 | 1 | 2;
}

/**
 * skipName returns the offset just after a (possibly compressed) name starting at `offset`, or
 * -1 if the name runs past the end, uses a reserved label type, or is longer than 255 octets.
 */
export function skipName(buf: Uint8Array, offset: number): number {
  let o = offset;
  let length = 0;
  for (;;) {
    if (o >= buf.length) return -1;
    const len = buf[o] as number;
    if (len === 0) return o + 1;
    const kind = len & 0xc0;
    if (kind === 0xc0) return o + 2 <= buf.length ? o + 2 : -1;
    if (kind !== 0) return -1;
    length += len + 1;
    if (length > 255) return -1;
    o += len + 1;
  }
}

/**
 * skipPlainName is skipName for names that must not be compressed (a question's name: a pointer
 * there could only point into the header). It returns -1 on a pointer.
 */
export function skipPlainName(buf: Uint8Array, offset: number): number {
  let o = offset;
  for (;;) {
    if (o >= buf.length || o - offset > 255) return -1;
    const len = buf[o] as number;
    if (len === 0) return o + 1 - offset > 255 ? -1 : o + 1;
    if ((len & 0xc0) !== 0) return -1;
    o += len + 1;
  }
}

/**
 * walkRecords lists the records of the answer, authority and additional sections that follow
 * the question section ending at `questionEnd`, with the counts in the header. It returns
 * undefined when a record does not fit in the message.
 */
export function walkRecords(buf: Uint8Array, questionEnd: number): RecordSpan[] | undefined {
  if (buf.length < 12) return undefined;
  const counts = [readU16(buf, 6), readU16(buf, 8), readU16(buf, 10)];
  const spans: RecordSpan[] = [];
  let o = questionEnd;
  for (let section = 0; section < 3; section++) {
    const count = counts[section] as number;
    for (let i = 0; i < count; i++) {
      const typeOffset = skipName(buf, o);
      if (typeOffset < 0 || typeOffset + 10 > buf.length) return undefined;
      const dataLength = readU16(buf, typeOffset + 8);
      const end = typeOffset + 10 + dataLength;
      if (end > buf.length) return undefined;
      spans.push({
        start: o,
        typeOffset,
        type: readU16(buf, typeOffset),
        klass: readU16(buf, typeOffset + 2),
        ttlOffset: typeOffset + 4,
        ttl: readU32(buf, typeOffset + 4),
        dataOffset: typeOffset + 10,
        dataLength,
        end,
        section: section as 0 | 1 | 2,
      });
      o = end;
    }
  }
  return spans;
}

/** questionEndOf returns the offset after the question section, or -1 if it is malformed. */
export function questionEndOf(buf: Uint8Array): number {
  if (buf.length < 12) return -1;
  let o = 12;
  const count = readU16(buf, 4);
  for (let i = 0; i < count; i++) {
    o = skipName(buf, o);
    if (o < 0 || o + 4 > buf.length) return -1;
    o += 4;
  }
  return o;
}

/** readU16 reads a big-endian 16-bit number (the caller has checked the bounds). */
export function readU16(buf: Uint8Array, offset: number): number {
  return (((buf[offset] as number) << 8) | (buf[offset + 1] as number)) >>> 0;
}

/** readU32 reads a big-endian 32-bit number (the caller has checked the bounds). */
export function readU32(buf: Uint8Array, offset: number): number {
  return (
    (((buf[offset] as number) << 24) |
      ((buf[offset + 1] as number) << 16) |
      ((buf[offset + 2] as number) << 8) |
      (buf[offset + 3] as number)) >>>
    0
  );
}
