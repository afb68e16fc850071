import { InvalidRequestError, parseDuration } from '@metacircular/mcdsl';

/**
 * Certificate lifetimes. Requests give a TTL as a Go duration ("720h"); the engine caps it by the
 * issuer's max_ttl and never lets a certificate outlive the CA that signs it. notBefore is set a
 * minute in the past so a client whose clock runs slightly behind still accepts a fresh certificate.
 */

/** backdateMs is how far notBefore lies before the moment of issuance. */
export const backdateMs = 60_000;

/** parseTtl reads an optional duration field; empty gives `fallback`. */
export function parseTtl(value: string | undefined, field: string, fallback: number): number {
  const text = (value ?? '').trim();
  if (text === '') return fallback;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    throw new InvalidRequestError(`${field}: ${(err as Error).message}`);
  }
  if (!(ms >= 60_000)) throw new InvalidRequestError(`${field}: must be at least one minute`);
  return ms;
}

/** Validity is a certificate's validity window. */
export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** the effective lifetime (what policy's max_ttl condition is checked against) */
  readonly ttlMs: number;
}

/** validityWithin computes the window for a requested TTL under a CA: min(ttl, maxTtl), and never past caNotAfter. */
export function validityWithin(now: Date, ttlMs: number, maxTtlMs: number, caNotAfter: Date): Validity {
  const wanted = Math.min(ttlMs, maxTtlMs);
  // X.509 times have whole seconds; round here so records and certificates agree.
  const seconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);
  const notAfter = seconds(Math.min(now.getTime() + wanted, caNotAfter.getTime()));
  const notBefore = seconds(now.getTime() - backdateMs);
  return { notBefore, notAfter, ttlMs: notAfter.getTime() - now.getTime() };
}

/** formatTtl renders milliseconds as a Go duration in whole hours, minutes or seconds ("8760h"). */
export function formatTtl(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
