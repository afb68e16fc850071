import type { SqliteDatabase } from '@metacircular/mcdsl';

/** SealConfig is the one row that lets a password unseal the barrier (spec §3.2). */
export interface SealConfig {
  readonly version: number;
  readonly kdf: 'argon2id';
  readonly kdfTime: number;
  readonly kdfMemoryKib: number;
  readonly kdfParallelism: number;
  readonly salt: Buffer;
  /** the MEK sealed with the KWK (blob format of barrier/aead.ts, aad "metacrypt:mek:v1") */
  readonly encryptedMek: Buffer;
  readonly createdAt: string;
}

interface SealRow {
  version: number;
  kdf: string;
  kdf_time: number;
  kdf_memory_kib: number;
  kdf_parallelism: number;
  salt: Buffer;
  encrypted_mek: Buffer;
  created_at: string;
}

/** SealConfigStore reads and writes the seal_config row; its presence means "initialized". */
export class SealConfigStore {
  readonly #get;
  readonly #insert;

  constructor(db: SqliteDatabase) {
    this.#get = db.prepare<[], SealRow>('SELECT * FROM seal_config WHERE id = 1');
    this.#insert = db.prepare(
      `INSERT INTO seal_config (id, version, kdf, kdf_time, kdf_memory_kib, kdf_parallelism, salt, encrypted_mek, created_at)
       VALUES (1, @version, @kdf, @kdfTime, @kdfMemoryKib, @kdfParallelism, @salt, @encryptedMek, @createdAt)`,
    );
  }

  /** get returns the seal row, or undefined before init. */
  get(): SealConfig | undefined {
    const row = this.#get.get();
    if (!row) return undefined;
    return {
      version: row.version,
      kdf: 'argon2id',
      kdfTime: row.kdf_time,
      kdfMemoryKib: row.kdf_memory_kib,
      kdfParallelism: row.kdf_parallelism,
      salt: row.salt,
      encryptedMek: row.encrypted_mek,
      createdAt: row.created_at,
    };
  }

  /** insert writes the row once; a second init fails on the primary key (the caller checks first). */
  insert(config: SealConfig): void {
    this.#insert.run({ ...config });
  }
}
