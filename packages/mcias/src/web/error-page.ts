import { ConnectError } from '@connectrpc/connect';
import {
  clearSessionCookie,
  errorReply,
  html,
  httpStatusOfConnectError,
  McError,
  sendHTML,
  type ErrorReply,
} from '@metacircular/mcdsl';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorView, mciasPage, redirectTo, sendPage } from './mcias-page.js';
import type { WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';

// What the user can do about some refusals, by error code; the others show their message only.
const hints: Readonly<Record<string, string>> = {
  ERR_CSRF: 'The form was not accepted: it came from an old page or from another site. Reload the page and try again.',
  ERR_POLICY_DENIED: 'Your roles and the login policy do not allow this. An admin can grant it.',
  ERR_FORBIDDEN: 'Your session does not allow this page.',
  ERR_ADMIN_ROLE: 'Only an admin can do this.',
};

// Codes that mean the session itself is gone (expired, revoked, account deactivated), as
// opposed to a wrong password typed into a form, which is also a 401.
const sessionLost = new Set(['ERR_INVALID_TOKEN', 'ERR_UNAUTHENTICATED']);

/**
 * webErrorHandler renders every error of the web scope for a browser, in this order:
 *   1. sealed (the vault sealed mid-request)  -> to /unseal
 *   2. the session's token no longer works    -> cookie cleared, to /login
 *   3. an htmx request                        -> an error fragment aimed at #flash, with the status
 *   4. anything else                          -> an error page with the status
 * Statuses and messages are the API's (mcdsl errorReply; 429 for rate limits); unexpected
 * errors are "internal error" with the details in the log only.
 */
export function webErrorHandler(
  ctx: WebContext,
): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (err, request, reply) => {
    const refusal = describe(err);
    const code = err instanceof McError ? err.code : undefined;
    if (refusal.internal) request.log.error({ err }, 'web request failed');
    else request.log.info({ code, status: refusal.status, error: refusal.message }, 'web request refused');

    if (err instanceof McError && err.category === 'sealed') return redirectTo(request, reply, webPaths.unseal);
    if (err instanceof McError && err.category === 'unauthenticated' && sessionLost.has(err.code)) {
      clearSessionCookie(reply, { name: sessionCookieName });
      return redirectTo(request, reply, webPaths.login);
    }
    const hint = code ? hints[code] : undefined;
    const message = capitalize(refusal.message);
    if (request.headers['hx-request'] === 'true') {
      void reply.header('hx-retarget', '#flash').header('hx-reswap', 'innerHTML');
      return sendHTML(reply, html`${errorView(message)}${hint && html`<p>${hint}</p>`}`, refusal.status);
    }
    // prettier-ignore
    const body = html`<section id="error" data-status="${refusal.status}">
${errorView(message)}
${hint && html`<p>${hint}</p>`}
<p><a href="${webPaths.dashboard}">Back to the dashboard</a></p>
</section>`;
    try {
      return sendPage(ctx, request, reply, { title: 'Error', body, status: refusal.status });
    } catch {
      // no CSRF key (sealed in the meantime): a page without forms
      return sendHTML(reply, mciasPage({ title: 'Error', nav: html`<span>MCIAS</span>`, body }), refusal.status);
    }
  };
}

function describe(err: unknown): ErrorReply {
  if (err instanceof ConnectError) return { status: httpStatusOfConnectError(err), message: err.rawMessage, internal: false };
  return errorReply(err);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
