import { getSessionToken, html, McError, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfInput, errorView, redirectTo, sendPage } from './mcias-page.js';
import { passkeyLoginSlot } from './passkey-login-action.js';
import { csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';

/**
 * loginPage is `GET /login`: the password form, or the dashboard for a browser whose session
 * still works there.
 */
export function loginPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const token = getSessionToken(request, { name: sessionCookieName });
    const caller = token ? await ctx.authenticate(token).catch(() => undefined) : undefined;
    // Only a session the pages admit skips the form (a guest's would loop between / and here).
    if (caller && (!caller.isGuest || caller.isAdmin)) return redirectTo(request, reply, webPaths.dashboard);
    return sendLoginForm(ctx, request, reply, {});
  };
}

/** sendLoginForm answers with the password form, with a problem and the username kept after a failure. */
export function sendLoginForm(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { problem?: string; username?: string; status?: number },
): FastifyReply {
  const field = csrfFor(ctx, reply);
  return sendPage(ctx, request, reply, {
    title: 'Sign in',
    body: loginFormView(field, { ...opts, passkeys: ctx.core.passkeys.enabled }),
    ...(opts.status ? { status: opts.status } : {}),
  });
}

/**
 * loginFailure turns a refused login into what the form shows: the API's message and status
 * (401 bad credentials, 403 denied by policy, 400 missing fields, 429 too fast). Anything else
 * is not a verdict on the login and goes to the error handler.
 */
export function loginFailure(err: unknown): { problem: string; status: number } {
  if (err instanceof McError) {
    switch (err.category) {
      case 'unauthenticated':
        return { problem: 'Invalid username, password or code.', status: 401 };
      case 'forbidden':
        return { problem: 'Login denied by policy: this account may not use the MCIAS web UI.', status: 403 };
      case 'invalid_request':
        return { problem: 'Enter a username and a password.', status: 400 };
      case 'rate_limited':
        return { problem: 'Too many attempts; wait a moment and try again.', status: 429 };
    }
  }
  throw err;
}

/**
 * loginFormView is the password form, and the passkey button when passkeys are configured.
 * There is no way to pass it a password: after a failure the form comes back with the username only.
 */
export function loginFormView(csrf: CsrfField, opts: { problem?: string; username?: string; passkeys?: boolean }): SafeHTML {
  // prettier-ignore
  return html`<section id="login" aria-labelledby="login-heading">
<h1 id="login-heading">Sign in to MCIAS</h1>
${opts.problem && errorView(opts.problem)}
<form method="post" action="${webPaths.login}">
${csrfInput(csrf)}
<p><label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${opts.username ?? ''}"></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
<p><button type="submit" id="login-submit">Sign in</button></p>
</form>
${passkeyLoginSlot(opts.passkeys === true)}
</section>`;
}
