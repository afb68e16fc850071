import { clearSessionCookie, getSessionToken, html, sendHTML, UnauthenticatedError } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loginFormView } from './login-form-view.js';
import { mcatPage } from './mcat-page.js';
import type { WebContext } from './web-context.js';
import { sessionCookieName } from './web-context.js';

/**
 * logoutAction is `POST /logout` (CSRF already verified): it revokes the session's token at
 * MCIAS, clears the cookie and shows the form again. A token MCIAS already refuses needs no
 * revoking. When MCIAS cannot be reached the revocation has not happened, so the cookie is
 * kept (the user can retry) and the error page says so with a 503: logging out means the
 * token stops working, not only that this browser forgets it.
 */
export function logoutAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const token = getSessionToken(request, { name: sessionCookieName });
    let notice = 'This browser had no MCAT session.';
    if (token) {
      try {
        await ctx.mcias.logout(token);
        notice = 'Logged out: MCIAS revoked the token.';
      } catch (err) {
        if (!(err instanceof UnauthenticatedError)) throw err;
        notice = 'Logged out: MCIAS no longer accepted the token anyway (expired or revoked).';
      }
      clearSessionCookie(reply, { name: sessionCookieName });
      request.log.info({}, 'session logged out');
    }
    const csrfToken = ctx.csrf.issue(reply);
    // prettier-ignore
    const body = html`<p id="notice" role="status">${notice}</p>
${loginFormView({ csrfFieldName: ctx.csrf.fieldName, csrfToken })}`;
    return sendHTML(reply, mcatPage({ title: 'Logged out', csrfToken, service: ctx.service, body }));
  };
}
