import { html, McError, RateLimitedError, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { passkeyAssetPaths } from './passkey-assets.js';
import { jsonCredential, jsonText, sendJson } from './passkey-json.js';
import { startSession } from './start-session.js';
import type { WebContext } from './web-context.js';
import { webPaths, webServiceName } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * passkeyLoginBegin is `POST /login/passkey/begin` (CSRF verified, JSON): the start of a
 * passwordless login, `{"challenge_id", "options"}` for navigator.credentials.get. Like the
 * password form, it calls the domain directly (Passkeys.beginLogin with no username: any
 * discoverable credential of this relying party) under the per-client login rate limit, as
 * the BeginWebAuthnLogin RPC does. 412 when `[webauthn]` is not configured.
 */
export function passkeyLoginBegin(ctx: WebContext): Handler {
  return async (request, reply) => {
    if (!ctx.core.limits.login.take(request.ip)) throw new RateLimitedError();
    const begun = await ctx.core.passkeys.beginLogin('');
    return sendJson(reply, { challenge_id: begun.challengeId, options: begun.options });
  };
}

/**
 * passkeyLoginFinish is `POST /login/passkey/finish` (CSRF verified, JSON `{"challenge_id",
 * "credential"}`): Passkeys.finishLogin checks the assertion (user verification required, no
 * password: passwordless), then the login policy for service "mcias" and issues a token, all
 * audited by the domain (webauthn_login_ok / _fail, token_issued). The token becomes the
 * session cookie exactly as after the password form (startSession), and the script goes to
 * `redirect`. A refusal is JSON: 401 for any bad assertion (one message whatever the reason),
 * 403 denied by policy, 429 too fast.
 */
export function passkeyLoginFinish(ctx: WebContext): Handler {
  return async (request, reply) => {
    try {
      if (!ctx.core.limits.login.take(request.ip)) throw new RateLimitedError();
      const issued = await ctx.core.passkeys.finishLogin({
        challengeId: jsonText(request.body, 'challenge_id'),
        credential: jsonCredential(request.body),
        password: '',
        serviceName: webServiceName,
        tags: [],
        ip: request.ip,
      });
      await startSession(ctx, request, reply, issued);
      request.log.info('web login with a passkey');
      return sendJson(reply, { redirect: webPaths.dashboard });
    } catch (err) {
      const refused = passkeyLoginFailure(err);
      if (!refused) throw err;
      return sendJson(reply, { error: refused.problem }, refused.status);
    }
  };
}

// The verdicts on a passkey login, in the page's words; anything else goes to the error handler.
function passkeyLoginFailure(err: unknown): { problem: string; status: number } | undefined {
  if (!(err instanceof McError)) return undefined;
  switch (err.category) {
    case 'unauthenticated':
      return {
        problem: 'The passkey was not accepted. Use a passkey registered for an active account, or your password.',
        status: 401,
      };
    case 'forbidden':
      return { problem: 'Login denied by policy: this account may not use the MCIAS web UI.', status: 403 };
    case 'rate_limited':
      return { problem: 'Too many attempts; wait a moment and try again.', status: 429 };
    default:
      return undefined;
  }
}

/**
 * passkeyLoginSlot is the login page's "Sign in with a passkey" button, shown only when
 * `[webauthn]` is configured. The button carries its routes; mcias-webauthn.js runs the
 * ceremony (no inline script: the CSP allows only our origin's files).
 */
export function passkeyLoginSlot(enabled: boolean): SafeHTML {
  if (!enabled) return html``;
  // prettier-ignore
  return html`<div id="passkey-login">
<p class="muted">Or, with a passkey on this device or a security key:</p>
<p><button type="button" id="passkey-login-button" data-passkey-login="true" data-begin="${webPaths.loginPasskeyBegin}" data-finish="${webPaths.loginPasskeyFinish}">Sign in with a passkey</button></p>
${passkeyScripts()}
</div>`;
}

/** passkeyScripts loads the WebAuthn library and the passkey script (both from our origin). */
export function passkeyScripts(): SafeHTML {
  // prettier-ignore
  return html`<script src="${passkeyAssetPaths.simpleWebAuthn}"></script>
<script src="${passkeyAssetPaths.script}"></script>`;
}
