import { NotFoundError, UnauthenticatedError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { AuthService } from '@metacircular/proto/mcias/v1/auth_pb';
import { AuditEvents } from '../audit/index.js';
import type { Core } from '../core.js';
import { Actions } from '../policy/index.js';
import type { AccountRecord } from '../store/index.js';
import { actorOf, peerAddress, requestBearer, requireCaller, subjectOf, takeRateLimit } from './request-context.js';
import { timestampOf } from './timestamps.js';

/**
 * authService serves login, logout, renewal, password change and TOTP. Self-service calls act
 * on the caller's own account and ask the policy with resource.ownerUuid = the caller, which is
 * what the built-in "self" rules match.
 */
export function authService(core: Core): ServiceRegistration {
  const ownAccount = (id: string): AccountRecord => {
    const account = core.stores.accounts.byUuid(id);
    if (!account) throw new NotFoundError('account not found');
    return account;
  };

  return registerService(AuthService, {
    async login(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      const issued = await core.logins.login({
        username: req.username,
        password: req.password,
        totpCode: req.totpCode,
        serviceName: req.serviceName,
        tags: req.tags,
        ip: peerAddress(ctx),
      });
      return { token: issued.token, expiresAt: timestampOf(issued.expiresAt) };
    },

    /**
     * logout is public in the access table so that any token holder (a guest too, whom the
     * 'authenticated' level refuses) can end its own session; the presented token is verified
     * here and is the token revoked.
     */
    async logout(_req, ctx) {
      const token = requestBearer(ctx);
      if (!token) throw new UnauthenticatedError();
      const verified = await core.tokens.verify(token);
      const subject = { uuid: verified.account.uuid, roles: verified.roles, accountType: verified.account.accountType };
      core.authorizer.require(subject, Actions.AuthLogout, { type: 'token', ownerUuid: verified.account.uuid });
      if (core.tokens.revoke(verified.jti, 'logout')) {
        core.audit.record({
          type: AuditEvents.Logout,
          actorId: verified.account.uuid,
          targetId: verified.account.uuid,
          ip: peerAddress(ctx),
          details: { jti: verified.jti },
        });
      }
      return {};
    },

    /** renewToken issues a fresh token (roles re-read) and revokes the one presented. */
    async renewToken(_req, ctx) {
      const caller = requireCaller(ctx);
      core.authorizer.require(subjectOf(caller), Actions.TokensRenew, { type: 'token', ownerUuid: caller.id });
      const issued = await core.tokens.issue(ownAccount(caller.id), 'renew');
      core.tokens.revoke(caller.jti, 'renewed');
      core.audit.record({
        type: AuditEvents.TokenRenewed,
        actorId: caller.id,
        targetId: caller.id,
        ip: peerAddress(ctx),
        details: { old_jti: caller.jti, jti: issued.jti, expires_at: new Date(issued.expiresAt).toISOString() },
      });
      return { token: issued.token, expiresAt: timestampOf(issued.expiresAt) };
    },

    async changePassword(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      const caller = requireCaller(ctx);
      core.authorizer.require(subjectOf(caller), Actions.AuthChangePassword, { type: 'account', ownerUuid: caller.id });
      await core.passwords.change(ownAccount(caller.id), req.currentPassword, req.newPassword, caller.jti, actorOf(ctx, caller));
      return {};
    },

    async enrollTOTP(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      const caller = requireCaller(ctx);
      core.authorizer.require(subjectOf(caller), Actions.TOTPEnroll, { type: 'account', ownerUuid: caller.id });
      const { secret, uri } = await core.totp.enroll(ownAccount(caller.id), req.password, actorOf(ctx, caller));
      return { secret, otpauthUri: uri };
    },

    confirmTOTP(req, ctx) {
      takeRateLimit(core.limits.login, ctx);
      const caller = requireCaller(ctx);
      core.authorizer.require(subjectOf(caller), Actions.TOTPEnroll, { type: 'account', ownerUuid: caller.id });
      core.totp.confirm(ownAccount(caller.id), req.code, actorOf(ctx, caller));
      return {};
    },

    removeTOTP(req, ctx) {
      const caller = requireCaller(ctx);
      core.authorizer.require(subjectOf(caller), Actions.TOTPRemove, { type: 'account', ownerUuid: req.accountId });
      core.totp.remove(req.accountId, actorOf(ctx, caller));
      return {};
    },
  });
}
