import type { Migration } from '@metacircular/mcdsl';

/**
 * The MCIAS schema, as numbered append-only migrations (never edit one that has shipped).
 *
 * Conventions: times are INTEGER milliseconds since the epoch (the injected clock's unit, so
 * comparisons are plain integer comparisons); the integer `id` of an account is internal, its
 * `uuid` is the public identifier; secrets are stored only as AES-256-GCM boxes made by the
 * vault (`*_enc` columns, BLOB), each bound by its AAD to the row and purpose it belongs to.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, roles, tags, failed logins',
    up: `
      CREATE TABLE IF NOT EXISTS accounts (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        -- usernames are never reused, not even after a soft delete: audit rows and old tokens
        -- keep pointing at the one account that had the name
        username TEXT NOT NULL UNIQUE,
        account_type TEXT NOT NULL CHECK (account_type IN ('human', 'system')),
        status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'deleted')),
        -- Argon2id PHC string; NULL for system accounts, which never log in with a password
        password_hash TEXT,
        -- vault box of the base32 TOTP secret, AAD "mcias:totp:<uuid>"
        totp_secret_enc BLOB,
        totp_state TEXT NOT NULL DEFAULT 'none' CHECK (totp_state IN ('none', 'pending', 'enabled')),
        -- the last RFC 6238 time step accepted, so a code is never accepted twice
        totp_last_counter INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS account_roles (
        account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (account_id, role)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS account_tags (
        account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (account_id, tag)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS failed_logins (
        account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        failures INTEGER NOT NULL,
        window_start INTEGER NOT NULL,
        locked_until INTEGER
      );
    `,
  },
  {
    version: 2,
    name: 'issued and revoked tokens',
    up: `
      CREATE TABLE IF NOT EXISTS issued_tokens (
        jti TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('login', 'renew', 'service')),
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS issued_tokens_account ON issued_tokens (account_id, expires_at);
      CREATE TABLE IF NOT EXISTS revoked_tokens (
        jti TEXT PRIMARY KEY REFERENCES issued_tokens (jti) ON DELETE CASCADE,
        revoked_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        -- copied from issued_tokens so expired revocations can be pruned without a join
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'policy rules',
    up: `
      CREATE TABLE IF NOT EXISTS policy_rules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        description TEXT NOT NULL,
        effect TEXT NOT NULL CHECK (effect IN ('allow', 'deny')),
        priority INTEGER NOT NULL,
        -- JSON arrays of strings; an empty array is a wildcard
        roles TEXT NOT NULL,
        account_types TEXT NOT NULL,
        subject_uuid TEXT NOT NULL,
        actions TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        owner_matches_subject INTEGER NOT NULL,
        service_names TEXT NOT NULL,
        required_tags TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        not_before INTEGER,
        expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'audit log',
    up: `
      CREATE TABLE IF NOT EXISTS audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_time INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        -- account UUIDs (not foreign keys: the log outlives what it talks about)
        actor_id TEXT,
        target_id TEXT,
        ip_address TEXT NOT NULL,
        -- JSON object; never a secret
        details TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS audit_events_type ON audit_events (event_type, id);
      CREATE INDEX IF NOT EXISTS audit_events_actor ON audit_events (actor_id, id);
      CREATE INDEX IF NOT EXISTS audit_events_target ON audit_events (target_id, id);
      CREATE INDEX IF NOT EXISTS audit_events_time ON audit_events (event_time);
    `,
  },
  {
    version: 5,
    name: 'vault metadata and server secrets',
    up: `
      CREATE TABLE IF NOT EXISTS vault_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        -- 'passphrase' (Argon2id with the salt and cost below) or 'keyfile'
        key_source TEXT NOT NULL CHECK (key_source IN ('passphrase', 'keyfile')),
        kdf_salt BLOB,
        kdf_time INTEGER,
        kdf_memory INTEGER,
        kdf_threads INTEGER,
        -- vault box of a known constant: opening it proves the master key is the right one
        verifier BLOB NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS server_secrets (
        name TEXT PRIMARY KEY,
        -- vault box, AAD "mcias:server_secret:<name>"
        secret_enc BLOB NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'webauthn credentials',
    up: `
      CREATE TABLE IF NOT EXISTS webauthn_credentials (
        id INTEGER PRIMARY KEY,
        -- the public, opaque id of this record (the API's credential_id)
        uuid TEXT NOT NULL UNIQUE,
        account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        -- HMAC-SHA256 of the authenticator's credential id under a vault-held key: the login
        -- lookup is indexed without the id being stored in clear
        credential_hmac BLOB NOT NULL UNIQUE,
        -- vault boxes, AAD "mcias:webauthn:<account uuid>:<uuid>:credential_id" / ":public_key"
        credential_id_enc BLOB NOT NULL,
        public_key_enc BLOB NOT NULL,
        -- the authenticator's signature counter, for clone detection
        sign_count INTEGER NOT NULL,
        -- JSON array of transport hints ("internal", "usb", ...)
        transports TEXT NOT NULL,
        discoverable INTEGER NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS webauthn_credentials_account ON webauthn_credentials (account_id);
    `,
  },
];
