import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * Revocation reasons (RFC 5280 CRLReason). The API takes snake_case names; camelCase names and
 * the numeric codes (as ACME sends them) are accepted too. removeFromCRL (8) is refused: revocation
 * here is permanent, there is no certificateHold release.
 */

const reasonCodes: Readonly<Record<string, number>> = {
  unspecified: 0,
  key_compromise: 1,
  ca_compromise: 2,
  affiliation_changed: 3,
  superseded: 4,
  cessation_of_operation: 5,
  certificate_hold: 6,
  privilege_withdrawn: 9,
  aa_compromise: 10,
};

/** RevocationReason is a reason's canonical name and its CRL code. */
export interface RevocationReason {
  readonly name: string;
  readonly code: number;
}

/** parseReason reads a reason given as a name or a code; empty means unspecified. */
export function parseReason(value: string | undefined, field = 'reason'): RevocationReason {
  const raw = (value ?? '').trim();
  if (raw === '') return { name: 'unspecified', code: 0 };
  if (/^\d{1,2}$/.test(raw)) {
    const code = Number(raw);
    const name = Object.keys(reasonCodes).find((k) => reasonCodes[k] === code);
    if (name !== undefined) return { name, code };
  } else {
    const squash = (s: string): string => s.replace(/[_\-\s]/g, '').toLowerCase();
    const name = Object.keys(reasonCodes).find((k) => squash(k) === squash(raw));
    if (name !== undefined) return { name, code: reasonCodes[name] ?? 0 };
  }
  throw new InvalidRequestError(
    `${field}: unknown revocation reason ${JSON.stringify(value)}; use one of ${Object.keys(reasonCodes).join(', ')}`,
  );
}
