import { Code, ConnectError } from '@connectrpc/connect';
import { clearSessionCookie, html, McError, sendHTML } from '@metacircular/mcdsl';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { capitalize, refusalOf } from './api-error.js';
import { errorView, isHtmx, metacryptPage, redirectTo, sendPage } from './metacrypt-page.js';
import type { WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';

// What the user can do about some refusals; the others show the API's message only.
const hints: Readonly<Record<number, string>> = {
  403: 'Your account may not do this. An admin can grant it with a policy rule.',
  503: 'Metacrypt may be sealed: an operator can unseal it.',
};
const csrfHint = 'The form was not accepted: it came from an old page or from another site. Reload the page and try again.';

/**
 * webErrorHandler renders every error of the web scope for a browser, in this order:
 *   1. the session's token no longer works (the API says unauthenticated) -> cookie cleared,
 *      to /login
 *   2. an htmx request -> an error fragment aimed at #flash, with the status
 *   3. anything else   -> an error page with the status
 * Statuses and messages are the API's (a 403 of the policy reads as the API wrote it); an
 * unexpected error is "Internal error" on the page and its details go to the log only, so a
 * page never shows a stack.
 */
export function webErrorHandler(
  ctx: WebContext,
): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (thrown, request, reply) => {
    const err: unknown = thrown;
    const refusal = refusalOf(err);
    if (refusal.internal) request.log.error({ err }, 'web request failed');
    else request.log.info({ status: refusal.status, error: refusal.message }, 'web request refused');

    const sessionLost =
      (err instanceof ConnectError && err.code === Code.Unauthenticated) ||
      (err instanceof McError && err.category === 'unauthenticated');
    if (sessionLost) {
      clearSessionCookie(reply, { name: sessionCookieName });
      return redirectTo(request, reply, webPaths.login);
    }
    const hint = err instanceof McError && err.code === 'ERR_CSRF' ? csrfHint : hints[refusal.status];
    const message = capitalize(refusal.message);
    if (isHtmx(request)) {
      void reply.header('hx-retarget', '#flash').header('hx-reswap', 'innerHTML');
      return sendHTML(reply, html`${errorView(message)}${hint && html`<p>${hint}</p>`}`, refusal.status);
    }
    // prettier-ignore
    const body = html`<section id="error" data-status="${refusal.status}">
<h1>${refusal.status === 403 ? 'Not allowed' : 'Something went wrong'}</h1>
${errorView(message)}
${hint && html`<p>${hint}</p>`}
${refusal.status === 503 && html`<p><a href="${webPaths.unseal}">Unseal Metacrypt</a></p>`}
<p><a href="${webPaths.dashboard}">Back to the dashboard</a></p>
</section>`;
    try {
      return sendPage(ctx, request, reply, { title: 'Error', body, status: refusal.status });
    } catch {
      return sendHTML(reply, metacryptPage({ title: 'Error', nav: html`<span>Metacrypt</span>`, body }), refusal.status);
    }
  };
}
