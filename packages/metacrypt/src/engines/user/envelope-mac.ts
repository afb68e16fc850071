import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Envelope } from './envelope.js';

/**
 * The mount's attestation of an envelope. Anyone can build an envelope to a public key and put
 * any name in `sender`; the `mac` field, an HMAC-SHA256 under a key that exists only in the
 * mount's barrier, shows that this mount's Encrypt made the envelope for its authenticated
 * caller. Decrypt refuses envelopes without a valid mac, so the sender it reports is trustworthy.
 *   mac = HMAC-SHA256(mount mac key, lp("metacrypt-u2u-v1 mac") | lp(id) | lp(sender) | lp(alg)
 *         | lp(epk) | u32be(n) | for each recipient: lp(user) | u32be(key_version) | lp(wrapped_cek)
 *         | lp(nonce) | lp(nonce) | lp(ciphertext))
 * where every value is the envelope's JSON string (base64 fields as written) and lp(s) is a
 * 4-byte big-endian length of UTF-8 s followed by those bytes.
 */
export function envelopeMac(key: Uint8Array, e: Omit<Envelope, 'mac'>): string {
  const h = createHmac('sha256', key);
  const lp = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    h.update(u32(bytes.length));
    h.update(bytes);
  };
  lp('metacrypt-u2u-v1 mac');
  lp(e.id);
  lp(e.sender);
  lp(e.alg);
  lp(e.epk);
  h.update(u32(e.recipients.length));
  for (const r of e.recipients) {
    lp(r.user);
    h.update(u32(r.key_version));
    lp(r.wrapped_cek);
    lp(r.nonce);
  }
  lp(e.nonce);
  lp(e.ciphertext);
  return h.digest('base64');
}

/** macMatches compares an envelope's mac with the expected one in constant time. */
export function macMatches(key: Uint8Array, e: Envelope): boolean {
  const want = Buffer.from(envelopeMac(key, e), 'base64');
  const got = Buffer.from(e.mac, 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
