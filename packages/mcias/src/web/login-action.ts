import { html, RateLimitedError, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formField } from './form-input.js';
import { loginFailure, sendLoginForm } from './login-page.js';
import { csrfInput, errorView, redirectTo, sendPage } from './mcias-page.js';
import { startSession } from './start-session.js';
import { csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { webPaths, webServiceName } from './web-paths.js';

/**
 * loginAction is `POST /login` (CSRF verified by the scope), the password step of spec 1.7's
 * two-step web login:
 *   1. the per-client login rate limit (the API's bucket)
 *   2. LoginFlow.passwordStep: account, lockout, Argon2id, each failure audited (401)
 *   3. TOTP enrolled -> nothing is issued yet: a single-use 128-bit nonce (90 s) holds the
 *      account id and the TOTP form posts it with the code, so the password is never resent
 *   4. otherwise LoginFlow.secondStep: policy (service "mcias", 403 when denied), token, audit;
 *      the token becomes the session cookie and the browser goes to the dashboard
 */
export function loginAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const username = formField(request.body, 'username').trim();
    const password = formField(request.body, 'password');
    const login = { username, serviceName: webServiceName, tags: [], ip: request.ip };
    try {
      if (!ctx.core.limits.login.take(request.ip)) throw new RateLimitedError();
      const account = await ctx.core.logins.passwordStep({ ...login, password });
      if (ctx.core.logins.needsTotp(account)) {
        const nonce = ctx.pendingLogins.add(account.uuid, username);
        return sendTotpForm(ctx, request, reply, nonce, {});
      }
      const issued = await ctx.core.logins.secondStep(account.uuid, '', login);
      await startSession(ctx, request, reply, issued);
      request.log.info({ username }, 'web login');
      return redirectTo(request, reply, webPaths.dashboard);
    } catch (err) {
      return sendLoginForm(ctx, request, reply, { ...loginFailure(err), username });
    }
  };
}

/** sendTotpForm answers with the second step's form for a pending login. */
export function sendTotpForm(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  nonce: string,
  opts: { problem?: string; status?: number },
): FastifyReply {
  const field = csrfFor(ctx, reply);
  return sendPage(ctx, request, reply, {
    title: 'Verification code',
    body: totpFormView(field, nonce, opts.problem),
    ...(opts.status ? { status: opts.status } : {}),
  });
}

/** totpFormView asks for the authenticator's code; the form carries the nonce, never the password. */
export function totpFormView(csrf: CsrfField, nonce: string, problem?: string): SafeHTML {
  // prettier-ignore
  return html`<section id="login-totp" aria-labelledby="totp-heading">
<h1 id="totp-heading">Enter your verification code</h1>
<p>Your password was accepted. Enter the 6-digit code from your authenticator app within 90 seconds.</p>
${problem && errorView(problem)}
<form method="post" action="${webPaths.loginTotp}">
${csrfInput(csrf)}
<input type="hidden" name="nonce" value="${nonce}">
<p><label for="totp_code">Code</label>
<input id="totp_code" name="totp_code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus></p>
<p><button type="submit" id="totp-submit">Verify</button></p>
</form>
<p><a href="${webPaths.login}">Start again</a></p>
</section>`;
}
