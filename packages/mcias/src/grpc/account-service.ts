import { ForbiddenError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { AccountService } from '@metacircular/proto/mcias/v1/account_pb';
import { adminRole } from '../accounts/index.js';
import type { Core } from '../core.js';
import { Actions, type Action } from '../policy/index.js';
import { accountMessage } from './account-message.js';
import { actorOf, requireCaller, subjectOf } from './request-context.js';
import type { HandlerContext } from '@connectrpc/connect';
import type { MciasCaller } from '../tokens/index.js';

/**
 * accountService serves account, role and tag management. Each RPC is 'authenticated' in the
 * access table and asks the policy for its action with resource {type: 'account', ownerUuid}:
 * admins pass through the built-in wildcard, and operator rules may delegate (e.g. let a system
 * account list accounts). Two things stay admin-only whatever the rules say: giving or taking
 * the admin role, and resetting an admin's password.
 */
export function accountService(core: Core): ServiceRegistration {
  const authorize = (ctx: HandlerContext, action: Action, ownerUuid?: string): MciasCaller => {
    const caller = requireCaller(ctx);
    core.authorizer.require(subjectOf(caller), action, { type: 'account', ...(ownerUuid ? { ownerUuid } : {}) });
    return caller;
  };
  const adminOnly = (caller: MciasCaller, what: string): void => {
    if (!caller.isAdmin) throw new ForbiddenError(`only an admin can ${what}`, { code: 'ERR_ADMIN_ROLE' });
  };

  return registerService(AccountService, {
    listAccounts(req, ctx) {
      authorize(ctx, Actions.AccountsList);
      return { accounts: core.accounts.list(req.includeDeleted).map(accountMessage) };
    },

    async createAccount(req, ctx) {
      const caller = authorize(ctx, Actions.AccountsCreate);
      if (req.roles.includes(adminRole)) adminOnly(caller, 'create an admin');
      const view = await core.accounts.create(
        { username: req.username, accountType: req.accountType, password: req.password, roles: req.roles, tags: req.tags },
        actorOf(ctx, caller),
      );
      return accountMessage(view);
    },

    getAccount(req, ctx) {
      authorize(ctx, Actions.AccountsRead, req.id);
      return accountMessage(core.accounts.view(core.accounts.find(req.id)));
    },

    updateAccount(req, ctx) {
      const caller = authorize(ctx, Actions.AccountsUpdate, req.id);
      return accountMessage(core.accounts.setStatus(req.id, req.status, actorOf(ctx, caller)));
    },

    deleteAccount(req, ctx) {
      const caller = authorize(ctx, Actions.AccountsDelete, req.id);
      core.accounts.delete(req.id, actorOf(ctx, caller));
      return {};
    },

    getRoles(req, ctx) {
      authorize(ctx, Actions.RolesRead, req.id);
      return { roles: [...core.roles.get(req.id)] };
    },

    setRoles(req, ctx) {
      const caller = authorize(ctx, Actions.RolesWrite, req.id);
      return { roles: [...core.roles.set(req.id, req.roles, actorOf(ctx, caller))] };
    },

    grantRole(req, ctx) {
      const caller = authorize(ctx, Actions.RolesWrite, req.id);
      core.roles.grant(req.id, req.role, actorOf(ctx, caller));
      return {};
    },

    revokeRole(req, ctx) {
      const caller = authorize(ctx, Actions.RolesWrite, req.id);
      core.roles.revoke(req.id, req.role, actorOf(ctx, caller));
      return {};
    },

    async resetPassword(req, ctx) {
      const caller = authorize(ctx, Actions.AccountsUpdate, req.id);
      if (core.roles.get(req.id).includes(adminRole)) adminOnly(caller, "reset an admin's password");
      await core.passwords.reset(req.id, req.newPassword, actorOf(ctx, caller));
      return {};
    },

    getTags(req, ctx) {
      authorize(ctx, Actions.TagsRead, req.id);
      return { tags: [...core.accounts.getTags(req.id)] };
    },

    setTags(req, ctx) {
      const caller = authorize(ctx, Actions.TagsWrite, req.id);
      return { tags: [...core.accounts.setTags(req.id, req.tags, actorOf(ctx, caller))] };
    },
  });
}
