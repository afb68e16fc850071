import { SSHReader, SSHWriter } from './ssh-wire.js';

// PROTOCOL.krl constants.
const krlMagic = Buffer.from('SSHKRL\n\0', 'latin1');
const krlFormatVersion = 1;
const sectionCertificates = 1;
const certSectionSerialList = 0x20;

/** RevokedSerials is the revoked certificate serials of one CA key. */
export interface RevokedSerials {
  /** the CA's public key blob (a certificate's signature key) */
  readonly caKey: Buffer;
  readonly serials: readonly (bigint | number)[];
}

/** KRLInput is everything one KRL says. */
export interface KRLInput {
  /** increases with every change, so a host can tell a newer list from an older one */
  readonly version: bigint | number;
  readonly generatedAt: Date;
  readonly comment: string;
  readonly revoked: readonly RevokedSerials[];
}

/**
 * buildKRL encodes an OpenSSH Key Revocation List (PROTOCOL.krl) that sshd's RevokedKeys and
 * `ssh-keygen -Q` read: the header (magic, format version 1, KRL version, generation time, no
 * flags, empty reserved field, comment), then one KRL_SECTION_CERTIFICATES per CA key with
 * revocations, each holding a KRL_SECTION_CERT_SERIAL_LIST of its serials in ascending order.
 * The KRL is unsigned: it is served over TLS, and OpenSSH does not check KRL signatures.
 */
export function buildKRL(input: KRLInput): Buffer {
  const out = new SSHWriter()
    .raw(krlMagic)
    .uint32(krlFormatVersion)
    .uint64(input.version)
    .uint64(Math.floor(input.generatedAt.getTime() / 1000))
    .uint64(0)
    .string('')
    .string(input.comment);
  for (const ca of input.revoked) {
    // Serial 0 means "no serial" to OpenSSH and is never revoked by serial.
    const serials = [...new Set(ca.serials.map(BigInt))].filter((s) => s > 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (serials.length === 0) continue;
    const list = new SSHWriter();
    for (const s of serials) list.uint64(s);
    const section = new SSHWriter().string(ca.caKey).string('').byte(certSectionSerialList).string(list.finish()).finish();
    out.byte(sectionCertificates).string(section);
  }
  return out.finish();
}

/** KRLHeader is what a KRL's header says about it. */
export interface KRLHeader {
  readonly version: bigint;
  readonly generatedAt: Date;
  readonly comment: string;
}

/** readKRLHeader parses a KRL's header (our own stored KRL, to learn its version); throws on a non-KRL. */
export function readKRLHeader(krl: Buffer): KRLHeader {
  if (krl.length < krlMagic.length || !krl.subarray(0, krlMagic.length).equals(krlMagic)) {
    throw new RangeError('not an openssh krl');
  }
  const reader = new SSHReader(krl.subarray(krlMagic.length));
  if (reader.uint32() !== krlFormatVersion) throw new RangeError('unsupported krl format version');
  const version = reader.uint64();
  const generatedAt = new Date(Number(reader.uint64()) * 1000);
  reader.uint64();
  reader.string();
  return { version, generatedAt, comment: reader.text() };
}
