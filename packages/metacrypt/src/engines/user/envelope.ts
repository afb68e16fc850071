import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { generateX25519, x25519 } from './x25519.js';

/**
 * The user-to-user envelope (spec §9.2), version 1. Every step is written out in README.md so an
 * independent implementation can read and write it:
 *   aad        = lp("metacrypt-u2u-v1") | lp(id) | lp(sender) | u32be(n) | lp(user_1) … lp(user_n)
 *                where lp(s) = u32be(byte length of UTF-8 s) | UTF-8 s
 *   payload    = AES-256-GCM(CEK, nonce, plaintext, aad) -> ciphertext | tag(16)
 *   per recipient with raw public key R:
 *     shared   = X25519(ephemeral private key, R)
 *     wrap key = HKDF-SHA256(ikm = shared, salt = epk | R, info = "metacrypt-u2u-v1", 32 bytes)
 *     wrapped  = AES-256-GCM(wrap key, recipient nonce, CEK, aad) -> 32 bytes | tag(16)
 * One ephemeral key per message; fresh random 12-byte nonces everywhere; base64 is standard
 * base64 with padding.
 */

/** envelopeAlg names the construction in the envelope's `alg` field. */
export const envelopeAlg = 'x25519-hkdf-sha256+a256gcm';
/** envelopeLabel is both the AAD label and the HKDF info. */
export const envelopeLabel = 'metacrypt-u2u-v1';

/** EnvelopeRecipient is one recipient's wrapped content key. */
export interface EnvelopeRecipient {
  user: string;
  /** which of the user's key versions the CEK was wrapped for */
  key_version: number;
  wrapped_cek: string;
  nonce: string;
}

/** Envelope is the JSON document Encrypt returns and Decrypt takes. */
export interface Envelope {
  v: 1;
  id: string;
  sender: string;
  alg: typeof envelopeAlg;
  epk: string;
  recipients: EnvelopeRecipient[];
  nonce: string;
  ciphertext: string;
  /** the mount's attestation (envelope-mac.ts), base64 HMAC-SHA256 */
  mac: string;
}

/** RecipientKey is a recipient's current public key. */
export interface RecipientKey {
  readonly user: string;
  readonly version: number;
  readonly publicKey: Uint8Array;
}

/** sealEnvelope encrypts `plaintext` from `sender` to every recipient (the engine adds the mac). */
export function sealEnvelope(sender: string, recipients: readonly RecipientKey[], plaintext: Uint8Array): Omit<Envelope, 'mac'> {
  const id = randomUUID();
  const aad = envelopeAad(
    id,
    sender,
    recipients.map((r) => r.user),
  );
  const cek = randomBytes(32);
  const ephemeral = generateX25519();
  try {
    const wrapped = recipients.map((r): EnvelopeRecipient => {
      const key = wrapKey(ephemeral.privateKey, r.publicKey, ephemeral.publicKey, r.publicKey);
      const nonce = randomBytes(12);
      try {
        return { user: r.user, key_version: r.version, wrapped_cek: b64(gcmSeal(key, nonce, cek, aad)), nonce: b64(nonce) };
      } finally {
        key.fill(0);
      }
    });
    const nonce = randomBytes(12);
    return {
      v: 1,
      id,
      sender,
      alg: envelopeAlg,
      epk: b64(ephemeral.publicKey),
      recipients: wrapped,
      nonce: b64(nonce),
      ciphertext: b64(gcmSeal(cek, nonce, plaintext, aad)),
    };
  } finally {
    cek.fill(0);
    ephemeral.privateKey.fill(0);
  }
}

/**
 * openEnvelope decrypts as `recipient` with its raw private and public key. It throws (a plain
 * Error, mapped by the engine) when any tag fails: a changed byte anywhere in the envelope.
 */
export function openEnvelope(
  envelope: Envelope,
  recipient: EnvelopeRecipient,
  privateKey: Uint8Array,
  publicKey: Uint8Array,
): Buffer {
  const aad = envelopeAad(
    envelope.id,
    envelope.sender,
    envelope.recipients.map((r) => r.user),
  );
  const epk = unb64(envelope.epk);
  const key = wrapKey(privateKey, epk, epk, publicKey);
  let cek: Buffer | undefined;
  try {
    cek = gcmOpen(key, unb64(recipient.nonce), unb64(recipient.wrapped_cek), aad);
    return gcmOpen(cek, unb64(envelope.nonce), unb64(envelope.ciphertext), aad);
  } finally {
    key.fill(0);
    cek?.fill(0);
  }
}

/** envelopeAad is the header every ciphertext of the envelope is bound to. */
export function envelopeAad(id: string, sender: string, users: readonly string[]): Buffer {
  const lp = (s: string): Buffer => {
    const bytes = Buffer.from(s, 'utf8');
    return Buffer.concat([u32(bytes.length), bytes]);
  };
  return Buffer.concat([lp(envelopeLabel), lp(id), lp(sender), u32(users.length), ...users.map(lp)]);
}

// wrapKey derives one recipient's wrap key. The sender passes (ephemeral private, R), the
// recipient (its private key, epk); both salt with epk | R.
function wrapKey(privateKey: Uint8Array, partner: Uint8Array, epk: Uint8Array, recipientKey: Uint8Array): Buffer {
  const shared = x25519(privateKey, partner);
  try {
    return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, recipientKey]), envelopeLabel, 32));
  } finally {
    shared.fill(0);
  }
}

function gcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function gcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (nonce.length !== 12 || sealed.length < 16) throw new Error('malformed aes-256-gcm input');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function unb64(text: string): Buffer {
  return Buffer.from(text, 'base64');
}
