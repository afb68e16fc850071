import { z } from 'zod';
import { databaseSection, loadConfig, logSection, mciasSection, serverSection } from '@metacircular/mcdsl';

/**
 * The one config tree of Metacrypt (`/srv/metacrypt/metacrypt.toml`, spec §13). Env overrides:
 * `METACRYPT_<SECTION>_<KEY>`; `$PORT` overrides server.listen_addr and `$PORT_GRPC`
 * server.grpc_addr, above everything else. Unknown keys are refused.
 */

/** webSection is `[web]`: when present, the server also serves the web UI, a gRPC client of its own API. */
export const webSection = z.strictObject({
  /** the web UI's HTTPS listen address; default "127.0.0.1:8080" */
  listen_addr: z.string().min(1).default('127.0.0.1:8080'),
  /** gRPC address of the API server; default "127.0.0.1:9443" */
  vault_grpc: z.string().min(1).default('127.0.0.1:9443'),
  /** PEM path of the CA that signs the API server's certificate; "" = system roots */
  vault_ca_cert: z.string().default(''),
  /** the web UI's own certificate and key; "" = use [server] tls_cert / tls_key */
  tls_cert: z.string().default(''),
  tls_key: z.string().default(''),
});

/**
 * sealSection is `[seal]`: the Argon2id cost used by `init` (stored with the seal, so changing
 * it later affects only a new init). Defaults are spec §3.2's; tests use tiny values.
 */
export const sealSection = z
  .strictObject({
    /** iterations; default 3 */
    argon2_time: z.number().int().min(1).max(64).default(3),
    /** memory in KiB; default 65536 (64 MiB) */
    argon2_memory_kib: z
      .number()
      .int()
      .min(64)
      .max(4 * 1024 * 1024)
      .default(65536),
    /** lanes; default 4 */
    argon2_parallelism: z.number().int().min(1).max(64).default(4),
    /**
     * a 0600 file whose content unseals Metacrypt at start (what `mc up` uses, so a crash
     * restart comes back unsealed); default "" = start sealed and wait for `metacrypt unseal`
     */
    unseal_password_file: z.string().default(''),
  })
  .refine((s) => s.argon2_memory_kib >= 8 * s.argon2_parallelism, {
    message: 'argon2_memory_kib must be at least 8 x argon2_parallelism',
    path: ['argon2_memory_kib'],
  });

/** acmeSection is `[acme]`, read by the CA engine's ACME server (engines/ca/acme). */
export const acmeSection = z.strictObject({
  /** serve /acme/{mount}/...; default true */
  enabled: z.boolean().default(true),
  /** the base URL ACME clients reach Metacrypt at; default "" = from each request's Host header */
  external_url: z
    .string()
    .regex(/^(https:\/\/[^\s?#]+)?$/, 'must be an https:// URL without query or fragment, or ""')
    .default(''),
  /** "host" or "host:port" of the DNS server for DNS-01 (e.g. MCNS); default "" = system resolver */
  dns_resolver: z.string().default(''),
  /** the port HTTP-01 validation connects to; default 80 */
  http01_port: z.number().int().min(1).max(65535).default(80),
  /** connect HTTP-01 validation to this address instead of resolving the name; default "" */
  http01_address: z.string().default(''),
});

/** auditSection is `[audit]`. */
export const auditSection = z.strictObject({
  /** write the audit log (audit_events table); default true */
  enabled: z.boolean().default(true),
});

/** metacryptConfigSchema is the whole tree. */
export const metacryptConfigSchema = z.strictObject({
  server: serverSection,
  /** the web UI; absent = no web listener */
  web: webSection.optional(),
  database: databaseSection,
  mcias: mciasSection,
  log: logSection.prefault({}),
  seal: sealSection.prefault({}),
  acme: acmeSection.prefault({}),
  audit: auditSection.prefault({}),
});

/** MetacryptConfigInput is the config as written in TOML (before defaults). */
export type MetacryptConfigInput = z.input<typeof metacryptConfigSchema>;
/** MetacryptConfig is the validated config (durations in milliseconds). */
export type MetacryptConfig = z.output<typeof metacryptConfigSchema>;
/** AcmeSection is the validated `[acme]` section (snake_case, as engines/ca/acme's AcmeSettings). */
export type AcmeSection = MetacryptConfig['acme'];
/** WebSection is the validated `[web]` section. */
export type WebSection = z.output<typeof webSection>;

/** loadMetacryptConfig reads and validates metacrypt.toml, throwing one ConfigError listing every problem. */
export function loadMetacryptConfig(path: string, env: NodeJS.ProcessEnv = process.env): MetacryptConfig {
  return loadConfig({ path, service: 'metacrypt', schema: metacryptConfigSchema, env });
}

/** parseMetacryptConfig validates an in-memory config tree (tests, embedders), applying defaults. */
export function parseMetacryptConfig(input: MetacryptConfigInput): MetacryptConfig {
  return metacryptConfigSchema.parse(input);
}
