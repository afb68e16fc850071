import { html, httpStatusOf, httpStatusOfConnectError, McError, sendHTML, type SafeHTML } from '@metacircular/mcdsl';
import { ConnectError } from '@connectrpc/connect';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorView, mciasPage, redirectTo } from './mcias-page.js';
import { formField } from './form-input.js';
import { rpcFor, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

/**
 * unsealPage is `GET /unseal`, where every page sends the browser while the vault is sealed.
 * There is no session and no CSRF token here (no session can exist before the vault opens, and
 * the CSRF key itself comes from the vault); once unsealed it sends the browser on.
 */
export function unsealPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (request, reply) => {
    if (!ctx.core.vault.sealed) return redirectTo(request, reply, webPaths.dashboard);
    return sendUnsealForm(ctx, reply, {});
  };
}

/**
 * unsealAction is `POST /unseal`: the API's Unseal RPC with the passphrase, so it has the
 * API's per-client rate limit (3/s, burst 5), audit records and refusals (401 wrong
 * passphrase, 412 uninitialised vault, 400 passphrase sent to a key-file vault). The
 * passphrase is never logged nor put back into the form.
 */
export function unsealAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const passphrase = formField(request.body, 'passphrase');
    try {
      const { sealed } = await rpcFor(ctx, request).admin.unseal({ passphrase });
      if (!sealed) {
        request.log.warn({}, 'vault unsealed through the web ui');
        return redirectTo(request, reply, webPaths.login);
      }
      return sendUnsealForm(ctx, reply, { problem: 'The vault is still sealed.', status: 503 });
    } catch (err) {
      if (err instanceof ConnectError) {
        return sendUnsealForm(ctx, reply, { problem: err.rawMessage, status: httpStatusOfConnectError(err) });
      }
      if (!(err instanceof McError) || err.category === 'internal') throw err;
      const problem = err.category === 'unauthenticated' ? 'Wrong passphrase or key.' : err.message;
      return sendUnsealForm(ctx, reply, { problem, status: httpStatusOf(err) });
    }
  };
}

function sendUnsealForm(ctx: WebContext, reply: FastifyReply, opts: { problem?: string; status?: number }): FastifyReply {
  const keyFile = ctx.core.vault.keySource === 'keyfile';
  return sendHTML(
    reply,
    mciasPage({ title: 'Unseal', nav: html`<span>MCIAS</span>`, body: unsealFormView(keyFile, opts.problem) }),
    opts.status,
  );
}

function unsealFormView(keyFile: boolean, problem: string | undefined): SafeHTML {
  const hint = keyFile
    ? 'This server unseals with its key file: put the file in place and submit the form with the field empty.'
    : 'Enter the master passphrase.';
  // prettier-ignore
  return html`<section id="unseal" aria-labelledby="unseal-heading">
<h1 id="unseal-heading">The vault is sealed</h1>
<p>MCIAS cannot check tokens or sign in anyone until its vault is unsealed. ${hint}</p>
${problem && errorView(problem)}
<form method="post" action="${webPaths.unseal}">
<p><label for="passphrase">Master passphrase</label>
<input id="passphrase" name="passphrase" type="password" autocomplete="off" maxlength="1024"${keyFile ? '' : html` required`}></p>
<p><button type="submit" id="unseal-submit">Unseal</button></p>
</form>
</section>`;
}
