import { clearSessionCookie, getSessionToken, McError } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redirectTo } from './mcias-page.js';
import { rpcFor, type WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';

/**
 * logoutAction is `POST /logout` (CSRF verified): the API's Logout RPC revokes the session's
 * token (audited), then the cookie is cleared and the browser goes to the login page. It needs
 * no valid session (a guest's or an expired one is simply cleared); a token the API no longer
 * accepts needs no revoking.
 */
export function logoutAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    if (getSessionToken(request, { name: sessionCookieName })) {
      try {
        await rpcFor(ctx, request).auth.logout({});
      } catch (err) {
        if (!(err instanceof McError && err.category === 'unauthenticated')) throw err;
      }
      clearSessionCookie(reply, { name: sessionCookieName });
    }
    return redirectTo(request, reply, webPaths.login);
  };
}
