import { clearSessionCookie, getSessionToken, html, sendHTML, UnauthenticatedError } from '@metacircular/mcdsl';
import type { Caller } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loginFormView } from './login-form-view.js';
import { mcatPage } from './mcat-page.js';
import { sessionView } from './session-view.js';
import { tokenExpiry } from './token-expiry.js';
import type { WebContext } from './web-context.js';
import { sessionCookieName } from './web-context.js';

/**
 * homePage is `GET /`: the current session's status when the session cookie holds a token
 * MCIAS still accepts, else the login form. A cookie whose token no longer validates (expired,
 * revoked, or MCIAS unreachable: validation fails closed) is cleared and the form says why.
 */
export function homePage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const token = getSessionToken(request, { name: sessionCookieName });
    let caller: Caller | undefined;
    let notice: string | undefined;
    if (token) {
      try {
        caller = await ctx.mcias.validate(token);
      } catch (err) {
        if (!(err instanceof UnauthenticatedError)) throw err;
        clearSessionCookie(reply, { name: sessionCookieName });
        notice = 'The session of this browser is no longer valid at MCIAS (expired or revoked); log in again.';
      }
    }
    const csrfToken = ctx.csrf.issue(reply);
    const csrf = { csrfFieldName: ctx.csrf.fieldName, csrfToken };
    // prettier-ignore
    const body = caller && token
      ? html`<section id="session" data-session="active">
<h2>Logged in</h2>
<p>This browser holds a token MCIAS issued for this service.</p>
${sessionView({ caller, expiresAt: tokenExpiry(token), ...csrf })}
</section>`
      : html`${notice && html`<p id="notice" role="status">${notice}</p>`}
${loginFormView(csrf)}`;
    return sendHTML(reply, mcatPage({ title: caller ? 'Logged in' : 'Test a login', csrfToken, service: ctx.service, body }));
  };
}
