import type { Migration } from '@metacircular/mcdsl';

/**
 * migrations is Metacrypt's schema, append-only (spec §4). SQLite is an untrusted key-value
 * store under the barrier: `barrier_entries` holds only ciphertext (every value sealed with the
 * MEK or a mount's DEK, bound to its path), `seal_config` the one row needed to unseal (salt,
 * Argon2id parameters, the MEK wrapped by the password-derived KWK), and `audit_events` the
 * audit log, kept outside the barrier so failed unseals and sealed-state refusals are recorded
 * too; it never holds secrets or request payloads.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'seal config and barrier entries',
    up: `
      CREATE TABLE IF NOT EXISTS seal_config (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        kdf TEXT NOT NULL DEFAULT 'argon2id',
        kdf_time INTEGER NOT NULL,
        kdf_memory_kib INTEGER NOT NULL,
        kdf_parallelism INTEGER NOT NULL,
        salt BLOB NOT NULL,
        encrypted_mek BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS barrier_entries (
        path TEXT PRIMARY KEY,
        value BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'audit events',
    up: `
      CREATE TABLE IF NOT EXISTS audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        caller TEXT NOT NULL DEFAULT '',
        account_type TEXT NOT NULL DEFAULT '',
        is_admin INTEGER NOT NULL DEFAULT 0,
        action TEXT NOT NULL,
        mount TEXT NOT NULL DEFAULT '',
        resource TEXT NOT NULL DEFAULT '',
        result TEXT NOT NULL CHECK (result IN ('allow', 'deny', 'error')),
        reason TEXT NOT NULL DEFAULT '',
        request_id TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX IF NOT EXISTS audit_events_time ON audit_events (time);
      CREATE INDEX IF NOT EXISTS audit_events_caller ON audit_events (caller, id);
      CREATE INDEX IF NOT EXISTS audit_events_mount ON audit_events (mount, id);
    `,
  },
];
