import { clearSessionCookie, getSessionToken } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redirectTo } from './metacrypt-page.js';
import { apiFor, type WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';

/**
 * logoutAction is `POST /logout` (CSRF checked): the API's Logout RPC revokes the session's
 * token at MCIAS, then the cookie is cleared and the browser goes to the login page. A token
 * the API no longer accepts needs no revoking, so any refusal is ignored: the cookie goes anyway.
 */
export function logoutAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    if (getSessionToken(request, { name: sessionCookieName })) {
      await apiFor(ctx, request)
        .auth.logout({})
        .catch((err: unknown) => request.log.info({ err: String(err) }, 'logout: token not revoked'));
      clearSessionCookie(reply, { name: sessionCookieName });
    }
    return redirectTo(request, reply, webPaths.login);
  };
}
