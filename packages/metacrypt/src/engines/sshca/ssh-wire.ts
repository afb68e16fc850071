// The SSH wire encoding (RFC 4251 §5) that public keys, certificates (PROTOCOL.certkeys),
// signatures and KRLs (PROTOCOL.krl) are built from: big-endian integers and length-prefixed strings.

/** SSHWriter appends SSH wire values and returns the bytes with finish(). */
export class SSHWriter {
  private readonly parts: Buffer[] = [];

  byte(value: number): this {
    this.parts.push(Buffer.from([value & 0xff]));
    return this;
  }

  uint32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value);
    this.parts.push(b);
    return this;
  }

  uint64(value: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(value));
    this.parts.push(b);
    return this;
  }

  /** string writes a uint32 length then the bytes (UTF-8 for text) */
  string(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  /** mpint writes a non-negative big-endian integer in two's complement, minimal length */
  mpint(magnitude: Uint8Array): this {
    let start = 0;
    while (start < magnitude.length && magnitude[start] === 0) start++;
    const trimmed = Buffer.from(magnitude.subarray(start));
    // A set high bit would read as negative: prefix a zero byte.
    const needsPad = trimmed.length > 0 && ((trimmed[0] ?? 0) & 0x80) !== 0;
    return this.string(needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
  }

  /** raw appends bytes with no length prefix */
  raw(value: Uint8Array): this {
    this.parts.push(Buffer.from(value));
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** SSHReader reads SSH wire values; every read throws RangeError past the end of the data. */
export class SSHReader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  uint32(): number {
    this.need(4);
    const v = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint64(): bigint {
    this.need(8);
    const v = this.data.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  byte(): number {
    this.need(1);
    return this.data[this.offset++] ?? 0;
  }

  string(): Buffer {
    const length = this.uint32();
    this.need(length);
    const v = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return v;
  }

  text(): string {
    return this.string().toString('utf8');
  }

  private need(n: number): void {
    if (this.offset + n > this.data.length) throw new RangeError('ssh wire data is truncated');
  }
}
