import { UnauthenticatedError } from '@metacircular/mcdsl';

/** invalidToken is the one error every token check throws: it says nothing about why. */
export function invalidToken(cause?: unknown): UnauthenticatedError {
  return new UnauthenticatedError('invalid or expired token', { code: 'ERR_INVALID_TOKEN', cause });
}

// base64url without padding, as JWS compact serialisation requires.
const segment = /^[A-Za-z0-9_-]+$/;

/**
 * assertEdDSAHeader reads a compact JWS's protected header ourselves and refuses anything whose
 * `alg` is not exactly "EdDSA" (none, HS256, RS256, ES256, a missing alg...), before any
 * signature code sees the token. This is the first check on every token, so algorithm
 * confusion cannot reach the verifier whatever the verifier would do with it.
 */
export function assertEdDSAHeader(token: string): void {
  if (typeof token !== 'string' || token.length > 8192) throw invalidToken();
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => segment.test(p))) throw invalidToken();
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch (err) {
    throw invalidToken(err);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalidToken();
  if ((header as Record<string, unknown>).alg !== 'EdDSA') throw invalidToken();
}
