import { RateLimitedError } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formField } from './form-input.js';
import { sendTotpForm } from './login-action.js';
import { loginFailure, sendLoginForm } from './login-page.js';
import { redirectTo } from './mcias-page.js';
import { startSession } from './start-session.js';
import type { WebContext } from './web-context.js';
import { webPaths, webServiceName } from './web-paths.js';

const sixDigits = /^[0-9]{6}$/;

/**
 * totpLoginAction is `POST /login/totp` (CSRF verified), the second step:
 *   1. a code that is not 6 digits gets the form again, the nonce unspent (nothing was checked)
 *   2. the per-client login rate limit
 *   3. the nonce is taken (single use, 90 s): unknown, used or expired -> back to the password
 *   4. LoginFlow.secondStep: the account must still be active and unlocked, the code right and
 *      unreplayed (a wrong one counts toward the lockout), then policy and token, all audited
 * Any failure after step 3 means starting again with the password.
 */
export function totpLoginAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const nonce = formField(request.body, 'nonce');
    const code = formField(request.body, 'totp_code').trim();
    if (!sixDigits.test(code) && ctx.pendingLogins.has(nonce)) {
      return sendTotpForm(ctx, request, reply, nonce, { problem: 'Enter the 6-digit code.', status: 400 });
    }
    try {
      if (!ctx.core.limits.login.take(request.ip)) throw new RateLimitedError();
    } catch (err) {
      return sendLoginForm(ctx, request, reply, loginFailure(err));
    }
    const pending = ctx.pendingLogins.take(nonce);
    if (!pending) {
      return sendLoginForm(ctx, request, reply, {
        problem: 'The sign-in step expired or was already used; enter your password again.',
        status: 401,
      });
    }
    const login = { username: pending.username, serviceName: webServiceName, tags: [], ip: request.ip };
    try {
      const issued = await ctx.core.logins.secondStep(pending.accountUuid, code, login);
      await startSession(ctx, request, reply, issued);
      request.log.info({ username: pending.username }, 'web login with totp');
      return redirectTo(request, reply, webPaths.dashboard);
    } catch (err) {
      return sendLoginForm(ctx, request, reply, { ...loginFailure(err), username: pending.username });
    }
  };
}
