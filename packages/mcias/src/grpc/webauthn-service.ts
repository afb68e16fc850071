import type { MessageInitShape } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import { NotFoundError, PreconditionError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { WebAuthnService, type WebAuthnCredentialSchema } from '@metacircular/proto/mcias/v1/webauthn_pb';
import type { Core } from '../core.js';
import { Actions } from '../policy/index.js';
import type { AccountRecord } from '../store/index.js';
import type { MciasCaller } from '../tokens/index.js';
import type { PasskeyView } from '../webauthn/index.js';
import { actorOf, peerAddress, requireCaller, subjectOf, takeRateLimit } from './request-context.js';
import { timestampOf } from './timestamps.js';

/**
 * webAuthnService serves passkeys (spec 1.7). Every RPC needs the vault (sealed: 503) and
 * `[webauthn]` in the config (else 412). Authorization:
 *   - registration: the caller's own account only, policy `webauthn:enroll` (built-in rule -8:
 *     self, human); admins cannot enroll for others, there is no account_id to name one;
 *   - login begin/finish: public, rate-limited like password login; policy `auth:login` at the end;
 *   - list: one's own passkeys always; another account's need `accounts:read` on it;
 *   - remove: one's own need `webauthn:enroll` on oneself (managing one's own passkeys, so a lost
 *     device can be dropped without an admin); another account's need `webauthn:remove`.
 * An empty account_id (gRPC) means the caller's own account.
 */
export function webAuthnService(core: Core): ServiceRegistration {
  const ownAccount = (caller: MciasCaller): AccountRecord => {
    const account = core.stores.accounts.byUuid(caller.id);
    if (!account) throw new NotFoundError('account not found');
    return account;
  };
  const enrolling = (ctx: HandlerContext): { caller: MciasCaller; account: AccountRecord } => {
    enabled();
    const caller = requireCaller(ctx);
    core.authorizer.require(subjectOf(caller), Actions.WebAuthnEnroll, { type: 'account', ownerUuid: caller.id });
    return { caller, account: ownAccount(caller) };
  };
  const enabled = (): void => {
    if (!core.passkeys.enabled) throw new PreconditionError('webauthn is not configured', { code: 'ERR_WEBAUTHN_DISABLED' });
  };

  return registerService(WebAuthnService, {
    async beginWebAuthnRegistration(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      const { account } = enrolling(ctx);
      const begun = await core.passkeys.beginRegistration(account, req.password);
      return { challengeId: begun.challengeId, options: begun.options };
    },

    async finishWebAuthnRegistration(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      const { caller, account } = enrolling(ctx);
      const view = await core.passkeys.finishRegistration(
        account,
        { challengeId: req.challengeId, credential: req.credential, name: req.name },
        actorOf(ctx, caller),
      );
      return credentialMessage(view);
    },

    async beginWebAuthnLogin(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      enabled();
      const begun = await core.passkeys.beginLogin(req.username);
      return { challengeId: begun.challengeId, options: begun.options };
    },

    async finishWebAuthnLogin(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      enabled();
      const issued = await core.passkeys.finishLogin({
        challengeId: req.challengeId,
        credential: req.credential,
        password: req.password,
        serviceName: req.serviceName,
        tags: req.tags,
        ip: peerAddress(ctx),
      });
      return { token: issued.token, expiresAt: timestampOf(issued.expiresAt) };
    },

    listWebAuthnCredentials(req, ctx) {
      enabled();
      const caller = requireCaller(ctx);
      const target = req.accountId || caller.id;
      if (target !== caller.id) {
        core.authorizer.require(subjectOf(caller), Actions.AccountsRead, { type: 'account', ownerUuid: target });
      }
      return { credentials: core.passkeys.list(target).map(credentialMessage) };
    },

    removeWebAuthnCredential(req, ctx) {
      enabled();
      const caller = requireCaller(ctx);
      const target = req.accountId || caller.id;
      const action = target === caller.id ? Actions.WebAuthnEnroll : Actions.WebAuthnRemove;
      core.authorizer.require(subjectOf(caller), action, { type: 'account', ownerUuid: target });
      core.passkeys.remove(target, req.credentialId, actorOf(ctx, caller));
      return {};
    },
  });
}

/** credentialMessage is a passkey as the proto shows it. */
function credentialMessage(view: PasskeyView): MessageInitShape<typeof WebAuthnCredentialSchema> {
  return {
    id: view.id,
    name: view.name,
    discoverable: view.discoverable,
    createdAt: timestampOf(view.createdAt),
    lastUsedAt: timestampOf(view.lastUsedAt),
  };
}
