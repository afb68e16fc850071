import { existsSync } from 'node:fs';
import { openDatabase, schemaVersion } from '@metacircular/mcdsl';
import { loadMcnsConfig } from '../config.js';
import { migrations } from '../store/index.js';

/** ZoneStatus is one zone in the status report. */
export interface ZoneStatus {
  readonly name: string;
  readonly serial: number;
  readonly records: number;
}

/** StatusReport is what `mcns status --json` prints. */
export interface StatusReport {
  readonly database: string;
  readonly database_exists: boolean;
  readonly schema_version: number;
  readonly schema_current: boolean;
  readonly zones: readonly ZoneStatus[];
  readonly records: number;
  readonly listen_addr: string;
  readonly grpc_addr: string | null;
  readonly dns_listen_addr: readonly string[];
}

/**
 * statusReport reads the state of an MCNS data set from its database, without starting a
 * server, without a token and without changing anything (no migration; a missing database is
 * reported, not created): each zone with its SOA serial and record count. Whether a running
 * server answers is for its public /v1/health and for `dig`.
 */
export function statusReport(configPath: string, env: NodeJS.ProcessEnv = process.env): StatusReport {
  const config = loadMcnsConfig(configPath, env);
  const path = config.database.path;
  const base = {
    database: path,
    listen_addr: config.server.listen_addr,
    grpc_addr: config.server.grpc_addr ?? null,
    dns_listen_addr: config.dns.listen_addr,
  };
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (!existsSync(path)) {
    return { ...base, database_exists: false, schema_version: 0, schema_current: false, zones: [], records: 0 };
  }
  const db = openDatabase(path);
  try {
    const version = schemaVersion(db);
    if (version === 0) return { ...base, database_exists: true, schema_version: 0, schema_current: false, zones: [], records: 0 };
    const zones = db
      .prepare(
        `SELECT z.name AS name, z.serial AS serial, COUNT(r.id) AS records
         FROM zones z LEFT JOIN records r ON r.zone_id = z.id GROUP BY z.id ORDER BY z.name`,
      )
      .all() as ZoneStatus[];
    return {
      ...base,
      database_exists: true,
      schema_version: version,
      schema_current: version === latest,
      zones,
      records: zones.reduce((sum, zone) => sum + zone.records, 0),
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
  const width = Math.max(4, ...report.zones.map((zone) => zone.name.length));
  const lines = [
    `database:  ${report.database}${report.database_exists ? '' : ' (missing; the server creates it at start)'}`,
    `schema:    version ${report.schema_version}${report.schema_current ? '' : ' (not current; the server migrates at start)'}`,
    `listen:    rest ${report.listen_addr}${report.grpc_addr ? `, grpc ${report.grpc_addr}` : ''}, dns ${report.dns_listen_addr.join(' ')}`,
    `zones:     ${report.zones.length} (${report.records} records)`,
    ...report.zones.map((zone) => `  ${zone.name.padEnd(width)}  serial ${zone.serial}  ${zone.records} records`),
  ];
  out.write(lines.join('\n') + '\n');
}
