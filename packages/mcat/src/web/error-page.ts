import { errorReply, html, McError, sendHTML } from '@metacircular/mcdsl';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { mcatPage } from './mcat-page.js';
import type { WebContext } from './web-context.js';
import { webPaths } from './web-context.js';

// What the user can do about each expected failure, by error code; others get the message only.
const hints: Readonly<Record<string, string>> = {
  ERR_CSRF:
    'The form was not accepted: it came from an old page (MCAT restarts with a new CSRF key) or from another site. ' +
    'Reload the page and submit it again.',
  ERR_UNAVAILABLE: 'MCAT could not get an answer from MCIAS, so nothing was tested. Check that MCIAS is up and try again.',
  ERR_MCIAS_VALIDATE: 'MCAT could not get an answer from MCIAS, so nothing was tested. Check that MCIAS is up and try again.',
};

/**
 * webErrorHandler renders errors on MCAT's pages as HTML pages with the status of the error's
 * category (mcdsl's errorReply: 403 for a failed CSRF check, 503 when MCIAS is unreachable,
 * 500 "internal error" for a bug, whose details go to the log only). A browser posting a form
 * sees a page it can act on instead of a JSON body.
 */
export function webErrorHandler(
  ctx: WebContext,
): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (err, request, reply) => {
    const { status, message, internal } = errorReply(err);
    if (internal) request.log.error({ err }, 'request failed');
    const code = err instanceof McError ? err.code : undefined;
    // A failed CSRF check is worth a line: it is either a stale page or someone else's form.
    if (!internal) request.log[status >= 500 ? 'warn' : 'info']({ code, status, error: message }, 'request refused');
    const hint = code ? hints[code] : undefined;
    const csrfToken = ctx.csrf.issue(reply);
    // prettier-ignore
    const body = html`<section id="error" data-status="${status}" role="alert">
<h2>${capitalize(message)}</h2>
${hint && html`<p>${hint}</p>`}
<p><a href="${webPaths.home}">Back to MCAT</a></p>
</section>`;
    return sendHTML(reply, mcatPage({ title: 'Error', csrfToken, service: ctx.service, body }), status);
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
