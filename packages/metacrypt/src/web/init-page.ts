import { ConnectError } from '@connectrpc/connect';
import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { capitalize, refusalOf } from './api-error.js';
import { formField } from './form-input.js';
import { csrfInput, errorView, redirectTo, sendPage } from './metacrypt-page.js';
import { apiFor, csrfFor, optionalCaller, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * initPage is `GET /init`, shown only while Metacrypt is uninitialized (otherwise the browser
 * goes on to /unseal or the dashboard). It asks for a signed-in session first: the web UI calls
 * the API from this machine, so the init request must carry the user's own MCIAS token for the
 * API to judge (it wants an admin unless the caller is local); an anonymous browser is not
 * relayed.
 */
export function initPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const next = await stateRedirect(ctx, request);
    if (next) return redirectTo(request, reply, next);
    const signedIn = (await optionalCaller(ctx, request)) !== undefined;
    return sendInitForm(ctx, request, reply, { signedIn });
  };
}

/**
 * initAction is `POST /init` (CSRF checked): the two passwords must match (the UI's only check;
 * length and the rest are the API's), then the API's Init RPC under the session's token. Init
 * leaves Metacrypt unsealed, so the browser goes to the dashboard. Passwords are never logged
 * nor put back in the form.
 */
export function initAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    if ((await optionalCaller(ctx, request)) === undefined) return redirectTo(request, reply, webPaths.login);
    const password = formField(request.body, 'password');
    if (password !== formField(request.body, 'confirm_password')) {
      return sendInitForm(ctx, request, reply, {
        signedIn: true,
        problem: 'The two passwords differ; type the same password twice.',
        status: 400,
      });
    }
    try {
      const { state } = await apiFor(ctx, request).system.init({ password });
      request.log.warn({}, 'metacrypt initialized through the web ui');
      return redirectTo(request, reply, state === 'unsealed' ? webPaths.dashboard : webPaths.unseal);
    } catch (err) {
      if (!(err instanceof ConnectError)) throw err;
      const refusal = refusalOf(err);
      if (refusal.internal || refusal.status === 401) throw err;
      return sendInitForm(ctx, request, reply, { signedIn: true, problem: capitalize(refusal.message), status: refusal.status });
    }
  };
}

/** stateRedirect is where a browser asking for /init belongs instead, if anywhere. */
async function stateRedirect(ctx: WebContext, request: FastifyRequest): Promise<string | undefined> {
  const { state } = await ctx.api.as({ ip: request.ip }).system.status({});
  if (state === 'uninitialized') return undefined;
  return state === 'sealed' ? webPaths.unseal : webPaths.dashboard;
}

function sendInitForm(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { signedIn: boolean; problem?: string; status?: number },
): FastifyReply {
  const csrf = csrfFor(ctx, reply);
  // prettier-ignore
  const form = opts.signedIn
    ? html`<form method="post" action="${webPaths.init}">
${csrfInput(csrf)}
<p><label for="init-password">Unseal password</label>
<input id="init-password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"></p>
<p><label for="init-confirm">Same password again</label>
<input id="init-confirm" name="confirm_password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"></p>
<p><button type="submit" id="init-submit">Initialize</button></p>
</form>`
    : html`<p id="init-sign-in">Sign in with an MCIAS admin account first: <a href="${webPaths.login}">sign in</a>.</p>`;
  const body: SafeHTML = html`<section id="init" aria-labelledby="init-heading">
<h1 id="init-heading">Initialize Metacrypt</h1>
<p>Choose the unseal password (at least 12 characters). It protects every key Metacrypt will hold and is asked for after every restart. It cannot be recovered: keep it safe.</p>
${opts.problem && errorView(opts.problem)}
${form}
</section>`;
  return sendPage(ctx, request, reply, { title: 'Initialize', body, ...(opts.status ? { status: opts.status } : {}) });
}
