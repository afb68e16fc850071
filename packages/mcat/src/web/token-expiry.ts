/**
 * tokenExpiry reads the `exp` claim of an MCIAS token (a JWT) for display on the session page,
 * since token validation reports who a token belongs to but the Caller it yields has no
 * expiry. The token must already have been validated by MCIAS: nothing here checks a
 * signature, so the result is only ever shown, never trusted. Anything unreadable is undefined.
 */
export function tokenExpiry(token: string): Date | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return undefined;
    const expiresAt = new Date(claims.exp * 1000);
    return Number.isNaN(expiresAt.getTime()) ? undefined : expiresAt;
  } catch {
    return undefined;
  }
}
