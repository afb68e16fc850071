import type { SqliteDatabase } from '@metacircular/mcdsl';

/** TokenKind says how a token came to be. */
export type TokenKind = 'login' | 'renew' | 'service';

/** IssuedToken is one row of `issued_tokens` joined with its revocation, if any. */
export interface IssuedTokenRecord {
  readonly jti: string;
  readonly accountId: number;
  readonly kind: TokenKind;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

/**
 * TokenStore is the repository of `issued_tokens` and `revoked_tokens`. Every token MCIAS signs
 * is recorded (jti, account, expiry) so that "revoke all of this account's tokens" is a query,
 * and a token whose jti is unknown here is refused even with a good signature (e.g. after a
 * restore from a backup older than the token).
 */
export class TokenStore {
  readonly #db: SqliteDatabase;
  readonly #lookup;
  readonly #insert;
  readonly #revoke;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#lookup = db.prepare<
      [string],
      { jti: string; account_id: number; kind: TokenKind; issued_at: number; expires_at: number; revoked_at: number | null }
    >(
      `SELECT i.jti, i.account_id, i.kind, i.issued_at, i.expires_at, r.revoked_at
       FROM issued_tokens i LEFT JOIN revoked_tokens r ON r.jti = i.jti WHERE i.jti = ?`,
    );
    this.#insert = db.prepare('INSERT INTO issued_tokens (jti, account_id, kind, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    this.#revoke = db.prepare(
      `INSERT OR IGNORE INTO revoked_tokens (jti, revoked_at, reason, expires_at)
       SELECT jti, ?, ?, expires_at FROM issued_tokens WHERE jti = ?`,
    );
  }

  /** record stores a newly signed token. */
  record(token: { jti: string; accountId: number; kind: TokenKind; issuedAt: number; expiresAt: number }): void {
    this.#insert.run(token.jti, token.accountId, token.kind, token.issuedAt, token.expiresAt);
  }

  /** lookup returns the token's row with its revocation time, or undefined for an unknown jti. */
  lookup(jti: string): IssuedTokenRecord | undefined {
    const row = this.#lookup.get(jti);
    if (!row) return undefined;
    return {
      jti: row.jti,
      accountId: row.account_id,
      kind: row.kind,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
  }

  /** revoke marks one token revoked; false when it was unknown or already revoked. */
  revoke(jti: string, reason: string, now: number): boolean {
    return this.#revoke.run(now, reason, jti).changes === 1;
  }

  /**
   * revokeAllOf revokes every unexpired, unrevoked token of an account except `keepJti`, and
   * returns the jtis it revoked.
   */
  revokeAllOf(accountId: number, reason: string, now: number, keepJti?: string): string[] {
    return this.#db.transaction(() => {
      const jtis = this.#db
        .prepare<[number, number, string], string>(
          `SELECT i.jti FROM issued_tokens i LEFT JOIN revoked_tokens r ON r.jti = i.jti
           WHERE i.account_id = ? AND i.expires_at > ? AND r.jti IS NULL AND i.jti <> ?`,
        )
        .pluck()
        .all(accountId, now, keepJti ?? '');
      for (const jti of jtis) this.#revoke.run(now, reason, jti);
      return jtis;
    })();
  }

  /** pruneExpired deletes the rows of tokens that expired before `now` (revocations cascade). */
  pruneExpired(now: number): number {
    return this.#db.prepare('DELETE FROM issued_tokens WHERE expires_at <= ?').run(now).changes;
  }
}
