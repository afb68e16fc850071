import { z } from 'zod';
import { databaseSection, loadConfig, logSection, mciasSection, serverSection } from '@metacircular/mcdsl';
import { dnsSection } from './dns/dns-config.js';
import type { Seed } from './store/index.js';

/**
 * The one config tree of MCNS (`/srv/mcns/mcns.toml`, spec 2.3):
 *
 *   [server]    listen_addr (REST), grpc_addr, tls_cert, tls_key (required); timeouts.
 *   [database]  path (required).
 *   [dns]       the DNS listener, forwarding and zone transfer (see dns/dns-config.ts).
 *   [mcias]     server_url, ca_cert, service_name, tags: token validation and login.
 *   [log]       level (default "info").
 *   [[zones]]   seed zones, inserted at start when missing (INSERT OR IGNORE).
 *   [[records]] seed records, likewise; each names one of the [[zones]].
 *
 * Env overrides: `MCNS_<SECTION>_<KEY>`; `$PORT` sets [server] listen_addr, `$PORT_GRPC`
 * [server] grpc_addr and `$PORT_DNS` [dns] listen_addr, over everything else.
 */

/** seedZoneSection is one `[[zones]]` entry: a zone created at start unless it exists. */
export const seedZoneSection = z.strictObject({
  /** the zone's name, e.g. "svc.mcp.metacircular.net"; required */
  name: z.string().min(1),
  /** SOA MNAME, e.g. "ns.mcp.metacircular.net"; required */
  primary_ns: z.string().min(1),
  /** SOA RNAME, as an email ("hostmaster@metacircular.net") or in SOA form; required */
  admin_email: z.string().min(1),
  /** SOA refresh in seconds; default 3600 */
  refresh: z.number().int().positive().optional(),
  /** SOA retry in seconds; default 600 */
  retry: z.number().int().positive().optional(),
  /** SOA expire in seconds; default 86400 */
  expire: z.number().int().positive().optional(),
  /** SOA minimum (negative-caching TTL) in seconds; default 300 */
  minimum_ttl: z.number().int().positive().optional(),
});

/** seedRecordSection is one `[[records]]` entry: a record created at start unless it exists. */
export const seedRecordSection = z.strictObject({
  /** the zone the record belongs to; must be one of the [[zones]] */
  zone: z.string().min(1),
  /** relative to the zone ("metacrypt", "@" for the apex) */
  name: z.string().min(1),
  /** A, AAAA, CNAME, NS, MX, TXT, SRV, CAA or PTR */
  type: z.string().min(1),
  /** presentation form ("192.0.2.1", "10 mail.example.net", ...) */
  value: z.string().min(1),
  /** seconds; default 300 */
  ttl: z.number().int().positive().optional(),
});

const zoneKey = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** mcnsConfigSchema is the whole tree. */
export const mcnsConfigSchema = z
  .strictObject({
    server: serverSection,
    database: databaseSection,
    dns: dnsSection.prefault({}),
    mcias: mciasSection,
    log: logSection.prefault({}),
    zones: z.array(seedZoneSection).default([]),
    records: z.array(seedRecordSection).default([]),
  })
  .superRefine((config, ctx) => {
    const zones = new Set(config.zones.map((zone) => zoneKey(zone.name)));
    config.records.forEach((record, index) => {
      if (!zones.has(zoneKey(record.zone))) {
        ctx.addIssue({
          code: 'custom',
          path: ['records', index, 'zone'],
          message: `zone ${JSON.stringify(record.zone)} is not one of the [[zones]]; add a [[zones]] entry for it`,
        });
      }
    });
  });

/** McnsConfigInput is the config as written in TOML (before defaults). */
export type McnsConfigInput = z.input<typeof mcnsConfigSchema>;
/** McnsConfig is the validated config (durations in milliseconds, defaults applied). */
export type McnsConfig = z.output<typeof mcnsConfigSchema>;

/** serviceName is MCNS's name for env overrides and on every log line. */
export const serviceName = 'mcns';

/** loadMcnsConfig reads and validates `mcns.toml`, throwing one ConfigError listing every problem. */
export function loadMcnsConfig(path: string, env: NodeJS.ProcessEnv = process.env): McnsConfig {
  return loadConfig({ path, service: serviceName, schema: mcnsConfigSchema, env });
}

/** parseMcnsConfig validates an in-memory config tree (tests and embedders), applying defaults. */
export function parseMcnsConfig(input: McnsConfigInput): McnsConfig {
  return mcnsConfigSchema.parse(input);
}

/** seedOf turns the [[zones]] and [[records]] of a config into the store's seed. */
export function seedOf(config: Pick<McnsConfig, 'zones' | 'records'>): Seed {
  return {
    zones: config.zones.map((zone) => ({
      name: zone.name,
      primaryNs: zone.primary_ns,
      adminEmail: zone.admin_email,
      ...(zone.refresh === undefined ? {} : { refresh: zone.refresh }),
      ...(zone.retry === undefined ? {} : { retry: zone.retry }),
      ...(zone.expire === undefined ? {} : { expire: zone.expire }),
      ...(zone.minimum_ttl === undefined ? {} : { minimumTtl: zone.minimum_ttl }),
    })),
    records: config.records.map((record) => ({
      zone: record.zone,
      name: record.name,
      type: record.type,
      value: record.value,
      ...(record.ttl === undefined ? {} : { ttl: record.ttl }),
    })),
  };
}
