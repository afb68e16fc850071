import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { InvalidRequestError } from '@metacircular/mcdsl';

/** totpDigits, totpPeriodSeconds and totpAlgorithm are MCIAS's fixed TOTP parameters (spec 1.4). */
export const totpDigits = 6;
export const totpPeriodSeconds = 30;
export const totpAlgorithm = 'SHA1';

// RFC 4226 section 4 requires a shared secret of at least 128 bits; we generate 160.
const secretBytes = 20;
const minSecretBytes = 16;

/** generateTotpSecret returns a new base32 (RFC 4648, unpadded) secret of 160 random bits. */
export function generateTotpSecret(): string {
  // Copy into a fresh Uint8Array so the Secret never shares the Buffer pool.
  return new Secret({ buffer: Uint8Array.from(randomBytes(secretBytes)).buffer }).base32;
}

/**
 * totpUri renders the Key URI authenticator apps import (usually as a QR code):
 * `otpauth://totp/<issuer>:<account>?issuer=<issuer>&secret=...&algorithm=SHA1&digits=6&period=30`.
 * Issuer and account are percent-encoded. The URI holds the secret: show it once, never log it.
 */
export function totpUri(opts: { secret: string; account: string; issuer: string }): string {
  return new TOTP({
    issuer: opts.issuer,
    label: opts.account,
    secret: decodeTotpSecret(opts.secret),
    algorithm: totpAlgorithm,
    digits: totpDigits,
    period: totpPeriodSeconds,
  }).toString();
}

/**
 * decodeTotpSecret turns a base32 secret into otpauth's Secret. Lowercase, spaces and `=`
 * padding are tolerated; other characters and secrets under 128 bits are refused with an
 * InvalidRequestError that never echoes the secret.
 */
export function decodeTotpSecret(secret: string): Secret {
  let decoded: Secret;
  try {
    decoded = Secret.fromBase32(secret);
  } catch (err) {
    throw new InvalidRequestError('totp secret is not valid base32', { cause: err });
  }
  if (decoded.bytes.byteLength < minSecretBytes) {
    throw new InvalidRequestError(`totp secret must hold at least ${minSecretBytes * 8} bits`);
  }
  return decoded;
}
