import { InvalidRequestError, parseDuration } from '@metacircular/mcdsl';
import { z } from 'zod';

/**
 * A CA mount's config (given to POST /v1/mounts as `config`). Every key is optional:
 *
 *   crl_base_url     external base URL of this Metacrypt (e.g. "https://metacrypt.example:8443");
 *                    when set, issued certificates carry a CRL distribution point
 *                    {crl_base_url}/v1/pki/{mount}/issuer/{issuer}/crl. Default: none.
 *   default_issuers  issuers created with the root by GenerateRoot/ImportRoot.
 *                    Default ["infra", "services", "clients"]; [] creates none.
 *   default_ttl      leaf lifetime when a request gives none. Default "2160h" (90 days).
 *   issuer_max_ttl   an issuer's max_ttl when CreateIssuer gives none. Default "8760h" (1 year).
 *
 * The stored config keeps durations as written; caSettings turns it into numbers.
 */

const issuerNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

const durationString = z.string().refine(
  (s) => {
    try {
      return parseDuration(s) > 0;
    } catch {
      return false;
    }
  },
  { message: 'must be a positive duration such as "2160h"' },
);

const configSchema = z
  .object({
    crl_base_url: z
      .string()
      .refine((s) => /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(s) && /^[\x21-\x7e]+$/.test(s), {
        message: 'must be an ASCII http(s) URL without query or fragment',
      })
      .transform((s) => s.replace(/\/+$/, ''))
      .optional(),
    default_issuers: z
      .array(z.string().regex(issuerNamePattern, { message: 'issuer names match ^[a-z0-9][a-z0-9-]{0,62}$' }))
      .max(32)
      .default(['infra', 'services', 'clients']),
    default_ttl: durationString.default('2160h'),
    issuer_max_ttl: durationString.default('8760h'),
  })
  .strict();

/** CaSettings is a mount's config in the form the engine uses. */
export interface CaSettings {
  readonly crlBaseUrl: string | undefined;
  readonly defaultIssuers: readonly string[];
  readonly defaultTtlMs: number;
  readonly issuerMaxTtlMs: number;
}

/** validateCaConfig checks a mount's config and returns it with defaults filled in. */
export function validateCaConfig(config: unknown): Record<string, unknown> {
  const parsed = configSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || '(config)';
    const message =
      issue?.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
    throw new InvalidRequestError(`config.${key}: ${message}`);
  }
  return { ...parsed.data, default_issuers: [...new Set(parsed.data.default_issuers)] };
}

/** caSettings reads a validated config. */
export function caSettings(config: Readonly<Record<string, unknown>>): CaSettings {
  const c = validateCaConfig(config) as z.infer<typeof configSchema>;
  return {
    crlBaseUrl: c.crl_base_url,
    defaultIssuers: c.default_issuers,
    defaultTtlMs: parseDuration(c.default_ttl),
    issuerMaxTtlMs: parseDuration(c.issuer_max_ttl),
  };
}

/** validIssuerName checks an issuer name, throwing InvalidRequestError naming `field`. */
export function validIssuerName(name: string, field = 'name'): string {
  if (!issuerNamePattern.test(name))
    throw new InvalidRequestError(`${field}: ${JSON.stringify(name)} must match ^[a-z0-9][a-z0-9-]{0,62}$`);
  return name;
}
