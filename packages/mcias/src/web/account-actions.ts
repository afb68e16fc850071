import { InvalidRequestError } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accountIdOf, sendAccount, type AccountParams } from './account-detail-page.js';
import { formField, formList } from './form-input.js';
import { redirectTo } from './mcias-page.js';
import { rpcFor, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

// Each action below is one API call under the session's token, so its authorization (policy
// action, admin-only guards, last-admin rule), validation and audit record are the API's own.

/** updateStatusAction is `PATCH /accounts/:id` (UpdateAccount, `accounts:update`): activate or deactivate. */
export function updateStatusAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const status = formField(request.body, 'status');
    await rpcFor(ctx, request).accounts.updateAccount({ id: accountIdOf(request), status });
    return sendAccount(
      ctx,
      request,
      reply,
      status === 'active' ? 'Account activated.' : 'Account deactivated; its tokens are revoked.',
    );
  };
}

/** deleteAccountAction is `DELETE /accounts/:id` (DeleteAccount, `accounts:delete`); then to the list. */
export function deleteAccountAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    await rpcFor(ctx, request).accounts.deleteAccount({ id: accountIdOf(request) });
    return redirectTo(request, reply, webPaths.accounts);
  };
}

/** grantRoleAction is `POST /accounts/:id/roles` (GrantRole, `roles:write`; admin only for admin). */
export function grantRoleAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const role = formField(request.body, 'role');
    await rpcFor(ctx, request).accounts.grantRole({ id: accountIdOf(request), role });
    return sendAccount(ctx, request, reply, `Role ${role} granted.`);
  };
}

/** revokeRoleAction is `DELETE /accounts/:id/roles/:role` (RevokeRole, `roles:write`). */
export function revokeRoleAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const role = (request.params as AccountParams).role ?? '';
    await rpcFor(ctx, request).accounts.revokeRole({ id: accountIdOf(request), role });
    return sendAccount(ctx, request, reply, `Role ${role} revoked.`);
  };
}

/** setTagsAction is `PUT /accounts/:id/tags` (SetTags, `tags:write`): the textarea replaces the set atomically. */
export function setTagsAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    await rpcFor(ctx, request).accounts.setTags({ id: accountIdOf(request), tags: formList(request.body, 'tags') });
    return sendAccount(ctx, request, reply, 'Tags saved.');
  };
}

/** removeTotpAction is `DELETE /accounts/:id/totp` (RemoveTOTP, `totp:remove`: admins only by default). */
export function removeTotpAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    await rpcFor(ctx, request).auth.removeTOTP({ accountId: accountIdOf(request) });
    return sendAccount(ctx, request, reply, 'TOTP removed.');
  };
}

/** resetPasswordAction is `PUT /accounts/:id/password` (ResetPassword, `accounts:update`; admin only for an admin). */
export function resetPasswordAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const newPassword = formField(request.body, 'new_password');
    if (newPassword !== formField(request.body, 'confirm_password')) {
      throw new InvalidRequestError('the two passwords differ; type the same password twice');
    }
    await rpcFor(ctx, request).accounts.resetPassword({ id: accountIdOf(request), newPassword });
    return sendAccount(ctx, request, reply, 'Password reset; every token of the account is revoked.');
  };
}
