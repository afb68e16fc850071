import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { WebAuthnCredential } from '@metacircular/proto/mcias/v1/webauthn_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { noticeView, sendFragment } from './mcias-page.js';
import { passkeyTable, type PasskeyParams } from './passkeys-section.js';
import { rpcFor, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

/**
 * accountPasskeys lists an account's passkeys through ListWebAuthnCredentials (another
 * account's need `accounts:read`, which the account page already needed); undefined when
 * passkeys are not configured, so the page shows no card.
 */
export async function accountPasskeys(
  ctx: WebContext,
  request: FastifyRequest,
  accountId: string,
): Promise<WebAuthnCredential[] | undefined> {
  if (!ctx.core.passkeys.enabled) return undefined;
  return (await rpcFor(ctx, request).webauthn.listWebAuthnCredentials({ accountId })).credentials;
}

/**
 * removeAccountPasskeyAction is `DELETE /accounts/:id/passkeys/:passkey`
 * (RemoveWebAuthnCredential: `webauthn:remove` for another account, admins through the
 * wildcard; `webauthn:enroll` for one's own). The answer is the card, listed again.
 */
export function removeAccountPasskeyAction(
  ctx: WebContext,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const { id: accountId = '', passkey: credentialId } = request.params as PasskeyParams;
    await rpcFor(ctx, request).webauthn.removeWebAuthnCredential({ accountId, credentialId });
    const passkeys = (await accountPasskeys(ctx, request, accountId)) ?? [];
    return sendFragment(reply, accountPasskeysCard(accountId, passkeys, 'Passkey removed.'));
  };
}

/**
 * accountPasskeysCard is the account page's Passkeys card: names and dates (never credential
 * material) and a remove button each. Admins cannot add one: registration is self-service.
 */
export function accountPasskeysCard(accountId: string, passkeys: readonly WebAuthnCredential[], notice?: string): SafeHTML {
  // prettier-ignore
  return html`<section id="account-passkeys" hx-target="this" hx-swap="outerHTML">
<h2>Passkeys</h2>
${notice && noticeView(notice)}
${passkeyTable(passkeys, (p) => pathTo(webPaths.accountPasskey, { id: accountId, passkey: p.id }))}
<p class="muted">Only the account's owner can add a passkey, from their profile.</p>
</section>`;
}
