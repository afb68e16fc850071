import { z } from 'zod';
import { loadConfig, logSection, mciasSection, serverSection } from '@metacircular/mcdsl';

/**
 * MCAT's one config tree (`/srv/mcat/mcat.toml`), the platform's standard sections and
 * nothing else: MCAT keeps no database and no secret on disk.
 *
 *   [server]  listen_addr, tls_cert, tls_key (required); read_timeout "30s", write_timeout
 *             "30s", idle_timeout "120s". No grpc_addr: MCAT has no gRPC API, so the key is
 *             refused rather than silently ignored.
 *   [mcias]   server_url (required, https), ca_cert ("" = system roots), service_name
 *             (required: the service context MCAT tests logins for), tags (default []).
 *   [log]     level (default "info").
 *
 * Env overrides are `MCAT_<SECTION>_<KEY>` (e.g. `MCAT_MCIAS_SERVICE_NAME`); `$PORT` sets
 * `[server] listen_addr`. There is no CSRF key setting: the key is generated at startup (see
 * ARCHITECTURE.md, "CSRF key").
 */
export const mcatConfigSchema = z.strictObject({
  server: serverSection.omit({ grpc_addr: true }),
  mcias: mciasSection,
  log: logSection.prefault({}),
});

/** McatConfig is the validated config (durations in milliseconds, defaults applied). */
export type McatConfig = z.output<typeof mcatConfigSchema>;

/** serviceName is MCAT's name for config env overrides and on every log line. */
export const serviceName = 'mcat';

/**
 * loadMcatConfig reads and validates the config file, throwing one ConfigError that names the
 * file and every bad key (the service refuses to start on it).
 */
export function loadMcatConfig(path: string, env: NodeJS.ProcessEnv = process.env): McatConfig {
  return loadConfig({ path, service: serviceName, schema: mcatConfigSchema, env });
}
