/**
 * config: one typed config tree per service, read from TOML and validated whole at startup.
 *
 * `loadConfig({ path, service, schema })` reads `/srv/<svc>/<svc>.toml` (smol-toml), applies
 * `<SERVICE>_<SECTION>_<KEY>` env overrides (coerced to the schema's types), then the
 * `$PORT`/`$PORT_GRPC`/`$PORT_<NAME>` listen-address overrides (highest precedence), refuses
 * unknown keys, and validates with zod (which applies defaults). Any problem is one ConfigError
 * naming the file and each key path (`config /srv/x/x.toml: [server] tls_cert: required value
 * is missing`). The standard sections ([server], [database], [mcias], [log]) are exported as
 * zod schemas to compose, and `duration()` reads Go duration strings ("30s", "1h30m") as
 * milliseconds.
 */
export { loadConfig } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { ConfigError, formatKeyPath } from './config-error.js';
export type { ConfigIssue } from './config-error.js';
export { parseDuration, duration } from './duration.js';
export type { DurationSchema } from './duration.js';
export { serverSection, databaseSection, mciasSection, logSection, logLevels, baseConfigSchema } from './sections.js';
export type { ServerConfig, DatabaseConfig, MciasConfig, LogConfig, BaseConfig } from './sections.js';
