import type { Migration } from '@metacircular/mcdsl';

/**
 * The MCNS schema (spec §2.4), as append-only migrations. The spec's CHECK lists only A, AAAA and
 * CNAME; the issue widens MCNS to the common types, so the CHECK names all of them. Seed data is
 * not a migration here: the zones come from the config ([[zones]], [[records]]) and are inserted
 * with INSERT OR IGNORE at every start, which keeps the original's "seed twice is harmless" rule
 * without hard-coding one deployment's addresses into the schema.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'zones and records',
    up: `
      CREATE TABLE IF NOT EXISTS zones (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,              -- lower-case, no trailing dot
        primary_ns TEXT NOT NULL,               -- absolute host name, no trailing dot
        admin_email TEXT NOT NULL,              -- as given (mailbox or SOA RNAME form)
        refresh INTEGER NOT NULL DEFAULT 3600,
        retry INTEGER NOT NULL DEFAULT 600,
        expire INTEGER NOT NULL DEFAULT 86400,
        minimum_ttl INTEGER NOT NULL DEFAULT 300,
        serial INTEGER NOT NULL,                -- YYYYMMDDNN
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        zone_id INTEGER NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
        name TEXT NOT NULL,                     -- relative, lower-case, '@' = apex
        type TEXT NOT NULL CHECK (type IN ('A', 'AAAA', 'CNAME', 'NS', 'MX', 'TXT', 'SRV', 'CAA', 'PTR')),
        value TEXT NOT NULL,                    -- normalised presentation form
        ttl INTEGER NOT NULL DEFAULT 300,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (zone_id, name, type, value)
      );
      CREATE INDEX IF NOT EXISTS idx_records_zone_name ON records (zone_id, name);
    `,
  },
];
