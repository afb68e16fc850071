import { z } from 'zod';
import { duration } from './duration.js';

/**
 * The standard config sections every service shares (spec 3.4). A service builds its one
 * config tree from these plus its own sections, e.g.
 *
 *   const configSchema = baseConfigSchema.extend({ storage: storageSection });
 *
 * Required values (listen address, TLS cert and key, database path, MCIAS URL and service
 * name) have no defaults: a service refuses to start without them.
 */

/** serverSection is `[server]`: where the API listens and with which TLS identity. */
export const serverSection = z.strictObject({
  /** REST listen address, e.g. ":8443" or "127.0.0.1:8443"; required */
  listen_addr: z.string().min(1),
  /** gRPC listen address, e.g. ":9443"; no gRPC listener when absent */
  grpc_addr: z.string().min(1).optional(),
  /** PEM certificate chain path; required (TLS 1.3 only, no plaintext listener) */
  tls_cert: z.string().min(1),
  /** PEM private key path; required */
  tls_key: z.string().min(1),
  /** read timeout, Go duration; default "30s" */
  read_timeout: duration('30s'),
  /** write timeout, Go duration; default "30s" */
  write_timeout: duration('30s'),
  /** idle keep-alive timeout, Go duration; default "120s" */
  idle_timeout: duration('120s'),
});

/** databaseSection is `[database]`: the service's one SQLite file. */
export const databaseSection = z.strictObject({
  /** e.g. "/srv/<svc>/<svc>.db"; required */
  path: z.string().min(1),
});

/** mciasSection is `[mcias]`: how the service validates tokens and logs users in. */
export const mciasSection = z.strictObject({
  /** MCIAS base URL, e.g. "https://mcias.metacircular.net:8443"; required, https only */
  server_url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  /** CA certificate (PEM path) to trust for MCIAS; "" (default) means the system roots */
  ca_cert: z.string().default(''),
  /** this service's name, sent with logins so MCIAS login policy can match it; required */
  service_name: z.string().min(1),
  /** tags sent with logins for login policy; default [] */
  tags: z.array(z.string()).default([]),
});

/** logLevels are the levels `[log] level` accepts. */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;

/** logSection is `[log]`; the whole section may be left out. */
export const logSection = z.strictObject({
  /** one of debug, info, warn, error; default "info" */
  level: z.enum(logLevels).default('info'),
});

/** baseConfigSchema is the standard tree: [server], [database], [mcias] and an optional [log]. */
export const baseConfigSchema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  mcias: mciasSection,
  log: logSection.prefault({}),
});

/** ServerConfig is the validated `[server]` section (timeouts in milliseconds). */
export type ServerConfig = z.output<typeof serverSection>;
/** DatabaseConfig is the validated `[database]` section. */
export type DatabaseConfig = z.output<typeof databaseSection>;
/** MciasConfig is the validated `[mcias]` section. */
export type MciasConfig = z.output<typeof mciasSection>;
/** LogConfig is the validated `[log]` section. */
export type LogConfig = z.output<typeof logSection>;
/** BaseConfig is the validated standard tree. */
export type BaseConfig = z.output<typeof baseConfigSchema>;
