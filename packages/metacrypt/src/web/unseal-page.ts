import { ConnectError } from '@connectrpc/connect';
import { html } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { capitalize, refusalOf } from './api-error.js';
import { formField } from './form-input.js';
import { csrfInput, errorView, redirectTo, sendPage } from './metacrypt-page.js';
import { csrfFor, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * unsealPage is `GET /unseal`: the password form while Metacrypt is sealed; otherwise the
 * browser goes to /init (never initialized) or the dashboard (already unsealed).
 */
export function unsealPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const { state } = await ctx.api.as({ ip: request.ip }).system.status({});
    if (state === 'uninitialized') return redirectTo(request, reply, webPaths.init);
    if (state === 'unsealed') return redirectTo(request, reply, webPaths.dashboard);
    return sendUnsealForm(ctx, request, reply, {});
  };
}

/**
 * unsealAction is `POST /unseal` (CSRF checked): the API's Unseal RPC with the password, so
 * its throttle (failed attempts back off), audit and refusals apply: a wrong password (401), too
 * many attempts (429), not initialized or already unsealed (412) come back on the form. The
 * password is never logged nor put back in the form. No session is needed: the password is the
 * authority here, as in the API.
 */
export function unsealAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const password = formField(request.body, 'password');
    try {
      await ctx.api.as({ ip: request.ip }).system.unseal({ password });
      request.log.warn({}, 'metacrypt unsealed through the web ui');
      return redirectTo(request, reply, webPaths.dashboard);
    } catch (err) {
      if (!(err instanceof ConnectError)) throw err;
      const refusal = refusalOf(err);
      if (refusal.internal) throw err;
      const problem = refusal.status === 401 ? 'Wrong unseal password.' : capitalize(refusal.message);
      return sendUnsealForm(ctx, request, reply, { problem, status: refusal.status });
    }
  };
}

function sendUnsealForm(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { problem?: string; status?: number },
): FastifyReply {
  // prettier-ignore
  const body = html`<section id="unseal" aria-labelledby="unseal-heading">
<h1 id="unseal-heading">Unseal Metacrypt</h1>
<p>Metacrypt is sealed: its keys stay locked until the unseal password is entered.</p>
${opts.problem && errorView(opts.problem)}
<form method="post" action="${webPaths.unseal}">
${csrfInput(csrfFor(ctx, reply))}
<p><label for="unseal-password">Unseal password</label>
<input id="unseal-password" name="password" type="password" autocomplete="off" required maxlength="1024"></p>
<p><button type="submit" id="unseal-submit">Unseal</button></p>
</form>
</section>`;
  return sendPage(ctx, request, reply, { title: 'Unseal', body, ...(opts.status ? { status: opts.status } : {}) });
}
