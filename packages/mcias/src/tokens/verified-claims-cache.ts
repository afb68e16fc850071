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
 * roles) is still checked, unless the entry also holds a `live` answer stamped with a database
 * version the caller can still match (see TokenAuthority.verify). The cache is cleared when the
 * vault seals, so no answer outlives the key that justified it. Bounded: when full it is emptied.
 */
export class VerifiedClaimsCache<L = unknown> {
  readonly #entries = new Map<string, { claims: VerifiedClaims; live?: L }>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  get(token: string): { readonly claims: VerifiedClaims; readonly live?: L } | undefined {
    return this.#entries.get(keyOf(token));
  }

  set(token: string, claims: VerifiedClaims): void {
    this.setLive(token, claims, undefined);
  }

  /** setLive caches the claims together with the last full answer about the token. */
  setLive(token: string, claims: VerifiedClaims, live: L | undefined): void {
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(keyOf(token), live === undefined ? { claims } : { claims, live });
  }

  clear(): void {
    this.#entries.clear();
  }
}

function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
