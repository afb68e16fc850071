import { z } from 'zod';
import { databaseSection, duration, loadConfig, logSection, serverSection } from '@metacircular/mcdsl';

/**
 * The one config tree of MCIAS (`mcias.toml`, spec 1.12). Durations use Go syntax and are read
 * as milliseconds. Env overrides: `MCIAS_<SECTION>_<KEY>`; `$PORT` / `$PORT_GRPC` override the
 * listen addresses.
 */

const positiveDuration = (defaultValue: string) =>
  duration(defaultValue).refine((ms) => ms > 0, { message: 'must be longer than 0s' });

/** tokensSection is `[tokens]`: who signs, and how long each kind of token lives. */
export const tokensSection = z.strictObject({
  /** the `iss` claim, the server's public base URL; required */
  issuer: z.string().min(1),
  /** lifetime of a person's login token; default "720h" (30 days) */
  default_expiry: positiveDuration('720h'),
  /** lifetime of a token of an account holding the admin role; default "8h" */
  admin_expiry: positiveDuration('8h'),
  /** lifetime of a system account's token; default "8760h" (365 days) */
  service_expiry: positiveDuration('8760h'),
});

/** argon2Section is `[argon2]`: the password hashing cost (the spec's floor is enforced). */
export const argon2Section = z.strictObject({
  /** iterations; default 3, at least 2 */
  time: z.number().int().min(2, 'must be at least 2').max(64).default(3),
  /** memory in KiB; default 65536 (64 MiB), at least 65536 */
  memory: z
    .number()
    .int()
    .min(65536, 'must be at least 65536 (64 MiB)')
    .max(4 * 1024 * 1024)
    .default(65536),
  /** lanes; default 4 */
  threads: z.number().int().min(1).max(64).default(4),
});

/** defaultPassphraseEnv is where the master passphrase comes from unless a keyfile is set. */
export const defaultPassphraseEnv = 'MCIAS_MASTER_PASSPHRASE';

/** masterKeySection is `[master_key]`: exactly one of passphrase_env or keyfile. */
export const masterKeySection = z
  .strictObject({
    /** name of the env var holding the passphrase; default "MCIAS_MASTER_PASSPHRASE" */
    passphrase_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** path of a file holding the raw 32-byte key (or 64 hex digits) */
    keyfile: z.string().min(1).optional(),
  })
  .refine((s) => !(s.passphrase_env !== undefined && s.keyfile !== undefined), {
    message: 'set exactly one of passphrase_env and keyfile, not both',
  })
  .transform((s) =>
    s.keyfile !== undefined
      ? { kind: 'keyfile' as const, keyfile: s.keyfile }
      : { kind: 'passphrase' as const, passphrase_env: s.passphrase_env ?? defaultPassphraseEnv },
  );

/** lockoutSection is `[lockout]`: repeated bad passwords lock an account for a while. */
export const lockoutSection = z.strictObject({
  /** failures within `window` that lock the account; default 5 */
  max_failures: z.number().int().min(1).max(1000).default(5),
  /** the window failures are counted in; default "15m" */
  window: positiveDuration('15m'),
  /** how long a locked account stays locked; default "15m" */
  duration: positiveDuration('15m'),
});

// A host name as WebAuthn takes it for an RP ID: lowercase labels, no scheme, port or path.
const rpIdPattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * webauthnSection is `[webauthn]`: passkeys are off unless it is present. The origin must be
 * https on rp_id or one of its subdomains (the WebAuthn rule browsers apply).
 */
export const webauthnSection = z
  .strictObject({
    /** the relying party id, the host name users see (e.g. "mcias.example.net"); required */
    rp_id: z.string().regex(rpIdPattern, 'must be a lowercase host name without scheme or port'),
    /** the origin browsers run the ceremonies on; default https://<rp_id>:<REST listener port> */
    rp_origin: z
      .string()
      .regex(/^https:\/\/[^/?#]+$/, 'must be an https origin like "https://mcias.example.net:8443" (no path)')
      .optional(),
    /** the name authenticators show for this service; default "MCIAS" */
    display_name: z.string().min(1).max(64).default('MCIAS'),
  })
  .refine((s) => s.rp_origin === undefined || originMatchesRpId(s.rp_origin, s.rp_id), {
    message: 'rp_origin must be on rp_id or one of its subdomains',
    path: ['rp_origin'],
  });

function originMatchesRpId(origin: string, rpId: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return false;
  }
  return host === rpId || host.endsWith(`.${rpId}`);
}

/** mciasConfigSchema is the whole tree. */
export const mciasConfigSchema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  tokens: tokensSection,
  argon2: argon2Section.prefault({}),
  master_key: masterKeySection.prefault({}),
  lockout: lockoutSection.prefault({}),
  /** passkeys; WebAuthn is off (every WebAuthn RPC answers 412) when the section is absent */
  webauthn: webauthnSection.optional(),
  log: logSection.prefault({}),
});

/** MciasConfigInput is the config as written in TOML (before defaults and parsing). */
export type MciasConfigInput = z.input<typeof mciasConfigSchema>;
/** MciasConfig is the validated config (durations in milliseconds, master key resolved). */
export type MciasConfig = z.output<typeof mciasConfigSchema>;
/** MasterKeyConfig says where the master key comes from. */
export type MasterKeyConfig = MciasConfig['master_key'];
/** WebAuthnConfig is the validated `[webauthn]` section. */
export type WebAuthnConfig = NonNullable<MciasConfig['webauthn']>;

/** loadMciasConfig reads and validates `mcias.toml`, throwing one ConfigError listing every problem. */
export function loadMciasConfig(path: string, env: NodeJS.ProcessEnv = process.env): MciasConfig {
  return loadConfig({ path, service: 'mcias', schema: mciasConfigSchema, env });
}

/** parseMciasConfig validates an in-memory config tree (tests and embedders), applying defaults. */
export function parseMciasConfig(input: MciasConfigInput): MciasConfig {
  return mciasConfigSchema.parse(input);
}
