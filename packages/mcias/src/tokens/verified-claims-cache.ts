import { createHash } from 'node:crypto';

/** VerifiedClaims are the claims of a token whose EdDSA signature has been checked. */
export interface VerifiedClaims {
  readonly sub: string;
  readonly jti: string;
  readonly roles: readonly string[];
  /** seconds since the epoch */
  readonly iat: number;
  readonly exp: number;
}

/**
 * VerifiedClaimsCache remembers which tokens carry a good signature, keyed by the SHA-256 of the
 * token (raw tokens are never map keys). A signature check is the one expensive step of
 * validation; everything that can change (expiry against the clock, revocation, account status,
 * roles) is still checked on every call. The cache is cleared when the vault seals, so no answer
 * outlives the key that justified it. Bounded: when full it is simply emptied.
 */
export class VerifiedClaimsCache {
  readonly #entries = new Map<string, VerifiedClaims>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  get(token: string): VerifiedClaims | undefined {
    return this.#entries.get(keyOf(token));
  }

  set(token: string, claims: VerifiedClaims): void {
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(keyOf(token), claims);
  }

  clear(): void {
    this.#entries.clear();
  }
}

function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
