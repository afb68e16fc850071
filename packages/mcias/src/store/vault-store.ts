import type { SqliteDatabase } from '@metacircular/mcdsl';

/** KeySource is how the master key of a vault is obtained. */
export type KeySource = 'passphrase' | 'keyfile';

/** VaultMeta is the vault's one metadata row: the KDF inputs and the verifier box. */
export interface VaultMeta {
  readonly keySource: KeySource;
  /** present for 'passphrase' */
  readonly kdf?: { readonly salt: Buffer; readonly time: number; readonly memory: number; readonly threads: number };
  readonly verifier: Buffer;
  readonly createdAt: number;
}

/**
 * VaultStore is the repository of `vault_meta` (one row, written once when the vault is
 * initialised) and `server_secrets` (named vault boxes such as the signing key). It stores only
 * salts, costs and ciphertext: nothing here is usable without the master key.
 */
export class VaultStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** meta returns the vault's metadata, or undefined before the vault is initialised. */
  meta(): VaultMeta | undefined {
    const row = this.#db
      .prepare<
        [],
        {
          key_source: KeySource;
          kdf_salt: Buffer | null;
          kdf_time: number | null;
          kdf_memory: number | null;
          kdf_threads: number | null;
          verifier: Buffer;
          created_at: number;
        }
      >('SELECT key_source, kdf_salt, kdf_time, kdf_memory, kdf_threads, verifier, created_at FROM vault_meta WHERE id = 1')
      .get();
    if (!row) return undefined;
    const kdf =
      row.kdf_salt && row.kdf_time && row.kdf_memory && row.kdf_threads
        ? { salt: row.kdf_salt, time: row.kdf_time, memory: row.kdf_memory, threads: row.kdf_threads }
        : undefined;
    return { keySource: row.key_source, ...(kdf ? { kdf } : {}), verifier: row.verifier, createdAt: row.created_at };
  }

  /**
   * initialize writes the metadata and the first server secrets in one transaction, and fails
   * if another process initialised the vault first (the row id is fixed at 1).
   */
  initialize(meta: VaultMeta, secrets: ReadonlyArray<{ name: string; box: Buffer }>): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO vault_meta (id, key_source, kdf_salt, kdf_time, kdf_memory, kdf_threads, verifier, created_at)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          meta.keySource,
          meta.kdf?.salt ?? null,
          meta.kdf?.time ?? null,
          meta.kdf?.memory ?? null,
          meta.kdf?.threads ?? null,
          meta.verifier,
          meta.createdAt,
        );
      for (const s of secrets) this.putSecret(s.name, s.box, meta.createdAt);
    })();
  }

  /** secret returns a named vault box. */
  secret(name: string): Buffer | undefined {
    return this.#db.prepare<[string], Buffer>('SELECT secret_enc FROM server_secrets WHERE name = ?').pluck().get(name);
  }

  /** putSecret stores a named vault box, replacing an older one. */
  putSecret(name: string, box: Buffer, now: number): void {
    this.#db
      .prepare(
        'INSERT INTO server_secrets (name, secret_enc, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET secret_enc = excluded.secret_enc, created_at = excluded.created_at',
      )
      .run(name, box, now);
  }
}
