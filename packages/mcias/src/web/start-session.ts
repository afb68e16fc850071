import { getSessionToken, setSessionCookie } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedToken } from '../tokens/index.js';
import { rpcFor, type WebContext } from './web-context.js';
import { sessionCookieName } from './web-paths.js';

/**
 * startSession puts a freshly issued token in the session cookie (HttpOnly, Secure,
 * SameSite=Strict, Max-Age = the token's remaining lifetime). A browser holds one session: the
 * token it replaces is logged out through the API (revoked and audited), best effort, since the
 * new login has succeeded whatever happens to the old token.
 */
export async function startSession(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  issued: IssuedToken,
): Promise<void> {
  if (getSessionToken(request, { name: sessionCookieName })) {
    try {
      await rpcFor(ctx, request).auth.logout({});
    } catch {
      // already invalid or expired: nothing to revoke
    }
  }
  const maxAgeSeconds = Math.max(0, Math.floor((issued.expiresAt - ctx.core.now()) / 1000));
  setSessionCookie(reply, issued.token, { name: sessionCookieName, maxAgeSeconds });
}
