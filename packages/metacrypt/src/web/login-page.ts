import { Code, ConnectError } from '@connectrpc/connect';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import { getSessionToken, html, setSessionCookie, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { capitalize } from './api-error.js';
import { formField } from './form-input.js';
import { csrfInput, errorView, redirectTo, sendPage } from './metacrypt-page.js';
import { apiFor, csrfFor, optionalCaller, type CsrfField, type WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** loginPage is `GET /login`: the form, or the dashboard for a browser whose session still works. */
export function loginPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const caller = await optionalCaller(ctx, request);
    if (caller && (!caller.isGuest || caller.isAdmin)) return redirectTo(request, reply, webPaths.dashboard);
    return sendLoginForm(ctx, request, reply, {});
  };
}

/**
 * loginAction is `POST /login` (CSRF checked by the scope): the API's Login RPC, which forwards
 * to MCIAS with Metacrypt's service name and tags (so MCIAS's login policy applies). The token
 * becomes the session cookie (HttpOnly, Secure, SameSite=Strict, living as long as the token);
 * a session it replaces is logged out through the API first, best effort. The password is never
 * logged nor put back in the form.
 */
export function loginAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const username = formField(request.body, 'username').trim();
    const password = formField(request.body, 'password');
    const totpCode = formField(request.body, 'totp_code').trim();
    let issued;
    try {
      issued = await ctx.api.as({ ip: request.ip }).auth.login({ username, password, totpCode });
    } catch (err) {
      if (!(err instanceof ConnectError)) throw err;
      return sendLoginForm(ctx, request, reply, { ...loginFailure(err), username });
    }
    if (getSessionToken(request, { name: sessionCookieName })) {
      await apiFor(ctx, request)
        .auth.logout({})
        .catch(() => undefined);
    }
    const expires = issued.expiresAt ? timestampMs(issued.expiresAt) : Date.now() + 3600_000;
    setSessionCookie(reply, issued.token, {
      name: sessionCookieName,
      maxAgeSeconds: Math.max(0, Math.floor((expires - Date.now()) / 1000)),
    });
    request.log.info({ username }, 'web login');
    return redirectTo(request, reply, webPaths.dashboard);
  };
}

/** loginFailure turns a refused login into what the form shows, with the API's status. */
function loginFailure(err: ConnectError): { problem: string; status: number } {
  switch (err.code) {
    case Code.Unauthenticated:
      return { problem: 'Invalid username, password or code.', status: 401 };
    case Code.PermissionDenied:
      return { problem: 'Login denied by policy: this account may not use Metacrypt.', status: 403 };
    case Code.InvalidArgument:
      return { problem: capitalize(err.rawMessage), status: 400 };
    case Code.ResourceExhausted:
      return { problem: 'Too many attempts; wait a moment and try again.', status: 429 };
    default:
      throw err;
  }
}

function sendLoginForm(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { problem?: string; username?: string; status?: number },
): FastifyReply {
  return sendPage(ctx, request, reply, {
    title: 'Sign in',
    body: loginFormView(csrfFor(ctx, reply), opts),
    ...(opts.status ? { status: opts.status } : {}),
  });
}

function loginFormView(csrf: CsrfField, opts: { problem?: string; username?: string }): SafeHTML {
  // prettier-ignore
  return html`<section id="login" aria-labelledby="login-heading">
<h1 id="login-heading">Sign in to Metacrypt</h1>
<p>Use your MCIAS account.</p>
${opts.problem && errorView(opts.problem)}
<form method="post" action="${webPaths.login}">
${csrfInput(csrf)}
<p><label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${opts.username ?? ''}"></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
<p><label for="totp_code">TOTP code (if enrolled)</label>
<input id="totp_code" name="totp_code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6"></p>
<p><button type="submit" id="login-submit">Sign in</button></p>
</form>
</section>`;
}
