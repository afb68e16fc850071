import { existsSync } from 'node:fs';
import { openDatabase, schemaVersion } from '@metacircular/mcdsl';
import { loadMciasConfig } from '../config.js';
import { migrations } from '../store/index.js';

/** StatusReport is what `mcias status --json` prints. */
export interface StatusReport {
  readonly database: string;
  readonly database_exists: boolean;
  readonly schema_version: number;
  readonly schema_current: boolean;
  readonly vault: { readonly initialized: boolean; readonly key_source: string | null };
  readonly accounts: { readonly total: number; readonly active: number; readonly admins: string[] };
  readonly live_tokens: number;
  readonly policy_rules: number;
  readonly audit_events: number;
  readonly listen_addr: string;
  readonly grpc_addr: string | null;
}

/**
 * statusReport reads the state of an MCIAS data set from its database, without starting a
 * server and without changing anything (no migration, and a missing database is reported, not
 * created). Whether a running server is sealed is runtime state; ask its /v1/vault/status.
 */
export function statusReport(configPath: string, now = Date.now()): StatusReport {
  const config = loadMciasConfig(configPath);
  const path = config.database.path;
  const base = { database: path, listen_addr: config.server.listen_addr, grpc_addr: config.server.grpc_addr ?? null };
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const empty = {
    vault: { initialized: false, key_source: null },
    accounts: { total: 0, active: 0, admins: [] },
    live_tokens: 0,
    policy_rules: 0,
    audit_events: 0,
  };
  if (!existsSync(path)) return { ...base, database_exists: false, schema_version: 0, schema_current: false, ...empty };
  const db = openDatabase(path);
  try {
    const version = schemaVersion(db);
    if (version < latest) return { ...base, database_exists: true, schema_version: version, schema_current: false, ...empty };
    const count = (sql: string, ...args: unknown[]) =>
      (db
        .prepare(sql)
        .pluck()
        .get(...args) as number | undefined) ?? 0;
    const keySource = db.prepare('SELECT key_source FROM vault_meta WHERE id = 1').pluck().get() as string | undefined;
    const admins = db
      .prepare(
        "SELECT a.username FROM accounts a JOIN account_roles r ON r.account_id = a.id WHERE r.role = 'admin' AND a.status = 'active' ORDER BY a.username",
      )
      .pluck()
      .all() as string[];
    return {
      ...base,
      database_exists: true,
      schema_version: version,
      schema_current: version === latest,
      vault: { initialized: keySource !== undefined, key_source: keySource ?? null },
      accounts: {
        total: count('SELECT COUNT(*) FROM accounts'),
        active: count("SELECT COUNT(*) FROM accounts WHERE status = 'active'"),
        admins,
      },
      live_tokens: count(
        'SELECT COUNT(*) FROM issued_tokens i LEFT JOIN revoked_tokens r ON r.jti = i.jti WHERE r.jti IS NULL AND i.expires_at > ?',
        now,
      ),
      policy_rules: count('SELECT COUNT(*) FROM policy_rules'),
      audit_events: count('SELECT COUNT(*) FROM audit_events'),
    };
  } finally {
    db.close();
  }
}

/** runStatusCommand prints the status report as text or JSON. */
export function runStatusCommand(opts: { config: string; json?: boolean }, out: NodeJS.WritableStream = process.stdout): void {
  const report = statusReport(opts.config);
  if (opts.json) {
    out.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const lines = [
    `database:      ${report.database}${report.database_exists ? '' : ' (missing)'}`,
    `schema:        version ${report.schema_version}${report.schema_current ? '' : ' (not current; the server migrates at start)'}`,
    `vault:         ${report.vault.initialized ? `initialized (${report.vault.key_source})` : 'not initialized (run mcias init)'}`,
    `accounts:      ${report.accounts.total} (${report.accounts.active} active)`,
    `admins:        ${report.accounts.admins.join(', ') || 'none'}`,
    `live tokens:   ${report.live_tokens}`,
    `policy rules:  ${report.policy_rules} (plus the built-in rules)`,
    `audit events:  ${report.audit_events}`,
    `listen:        ${report.listen_addr}${report.grpc_addr ? `, grpc ${report.grpc_addr}` : ''}`,
  ];
  out.write(lines.join('\n') + '\n');
}
