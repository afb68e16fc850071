import { randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '../clock.js';
import type { AccountRecord, AccountStore, IssuedTokenRecord, RoleStore, TokenKind, TokenStore } from '../store/index.js';
import type { Vault } from '../vault/index.js';
import { assertEdDSAHeader, invalidToken } from './jwt-header.js';
import { lifetimeFor, type TokenLifetimes } from './token-lifetime.js';
import { VerifiedClaimsCache, type VerifiedClaims } from './verified-claims-cache.js';

/** IssuedToken is a freshly signed token and what the caller needs to know about it. */
export interface IssuedToken {
  readonly token: string;
  readonly jti: string;
  /** milliseconds since the epoch */
  readonly expiresAt: number;
}

/** VerifiedToken is a token that passed every check, with its account as it is now. */
export interface VerifiedToken {
  readonly jti: string;
  readonly account: AccountRecord;
  /** the token's roles still held by the account (roles revoked since issue are dropped) */
  readonly roles: readonly string[];
  /** milliseconds since the epoch */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * TokenAuthority signs and checks MCIAS's Ed25519 JWTs. A token carries iss, sub (account
 * UUID), iat, exp, jti (128 random bits) and roles, with header alg EdDSA and kid. Every issued
 * token is recorded, so revocation by jti or by account is a row, and validation can insist the
 * token is one we issued.
 */
export class TokenAuthority {
  readonly #vault: Vault;
  readonly #accounts: AccountStore;
  readonly #roles: RoleStore;
  readonly #tokens: TokenStore;
  readonly #issuer: string;
  readonly #lifetimes: TokenLifetimes;
  readonly #now: Clock;
  readonly #cache = new VerifiedClaimsCache<{ version: string; verified: VerifiedToken }>();
  readonly #dataVersion: (() => string) | undefined;

  constructor(opts: {
    vault: Vault;
    accounts: AccountStore;
    roles: RoleStore;
    tokens: TokenStore;
    issuer: string;
    lifetimes: TokenLifetimes;
    now: Clock;
    /**
     * dataVersion changes whenever the database may have changed (any write by this process or
     * another). While it stays the same, a token's revocation, account and roles cannot have
     * changed, so validation reuses its last lookup instead of three queries.
     */
    dataVersion?: () => string;
  }) {
    this.#vault = opts.vault;
    this.#accounts = opts.accounts;
    this.#roles = opts.roles;
    this.#tokens = opts.tokens;
    this.#issuer = opts.issuer;
    this.#lifetimes = opts.lifetimes;
    this.#now = opts.now;
    this.#dataVersion = opts.dataVersion;
    this.#vault.onSeal(() => this.#cache.clear());
  }

  /** issue signs a token for an account with its current roles and records it. */
  async issue(account: AccountRecord, kind: TokenKind): Promise<IssuedToken> {
    const key = this.#vault.signingKey();
    const roles = this.#roles.of(account.id);
    const iat = Math.floor(this.#now() / 1000);
    const exp = iat + Math.floor(lifetimeFor(account.accountType, roles, this.#lifetimes) / 1000);
    const jti = randomBytes(16).toString('base64url');
    const token = await new SignJWT({ roles })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: key.jwk.kid })
      .setIssuer(this.#issuer)
      .setSubject(account.uuid)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(key.privateKey);
    this.#tokens.record({ jti, accountId: account.id, kind, issuedAt: iat * 1000, expiresAt: exp * 1000 });
    return { token, jti, expiresAt: exp * 1000 };
  }

  /**
   * verify checks a token, in this order, each failure being the same UnauthenticatedError:
   *   1. the protected header's alg is exactly EdDSA (before any signature work)
   *   2. the Ed25519 signature under the current key, iss, and the claims' shape
   *   3. exp against the clock
   *   4. the jti is one we issued, to this subject, and is not revoked
   *   5. the account still exists and is active
   * SealedError (503) when the vault is sealed: there is no key to check against.
   */
  async verify(token: string): Promise<VerifiedToken> {
    assertEdDSAHeader(token);
    const key = this.#vault.signingKey();
    const now = this.#now();
    const entry = this.#cache.get(token);
    const claims = entry?.claims ?? (await this.#verifySignature(token, key.publicKey, now));
    if (claims.exp * 1000 <= now) throw invalidToken();
    const version = this.#dataVersion?.();
    if (entry?.live && version !== undefined && entry.live.version === version) return entry.live.verified;
    const row = this.#tokens.lookup(claims.jti);
    if (!row || row.revokedAt !== null) throw invalidToken();
    const account = this.#accounts.byId(row.accountId);
    if (!account || account.uuid !== claims.sub || account.status !== 'active') throw invalidToken();
    const current = new Set(this.#roles.of(account.id));
    const verified: VerifiedToken = {
      jti: claims.jti,
      account,
      roles: claims.roles.filter((role) => current.has(role)),
      issuedAt: claims.iat * 1000,
      expiresAt: claims.exp * 1000,
    };
    if (version !== undefined) this.#cache.setLive(token, claims, { version, verified });
    return verified;
  }

  /** revoke revokes one token by jti; false when the jti is unknown or already revoked. */
  revoke(jti: string, reason: string): boolean {
    return this.#tokens.revoke(jti, reason, this.#now());
  }

  /** revokeAllOf revokes every live token of an account except `keepJti`; returns the jtis. */
  revokeAllOf(accountId: number, reason: string, keepJti?: string): string[] {
    return this.#tokens.revokeAllOf(accountId, reason, this.#now(), keepJti);
  }

  /** lookup returns the record of an issued token (for revocation by an admin). */
  lookup(jti: string): IssuedTokenRecord | undefined {
    return this.#tokens.lookup(jti);
  }

  async #verifySignature(token: string, publicKey: KeyObject, now: number): Promise<VerifiedClaims> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, publicKey, {
        algorithms: ['EdDSA'],
        issuer: this.#issuer,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      }));
    } catch (err) {
      throw invalidToken(err);
    }
    const { sub, jti, iat, exp, roles } = payload;
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      throw invalidToken();
    }
    if (!Array.isArray(roles) || !roles.every((r): r is string => typeof r === 'string')) throw invalidToken();
    const claims: VerifiedClaims = { sub, jti, iat, exp, roles };
    this.#cache.set(token, claims);
    return claims;
  }
}
