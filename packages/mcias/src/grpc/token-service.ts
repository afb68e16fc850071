import { McError, NotFoundError, PreconditionError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { TokenService } from '@metacircular/proto/mcias/v1/token_pb';
import { AuditEvents } from '../audit/index.js';
import type { Core } from '../core.js';
import { Actions } from '../policy/index.js';
import { actorOf, requestBearer, requireCaller, subjectOf } from './request-context.js';
import { timestampOf } from './timestamps.js';

/** tokenService serves online validation, system-account token issuance and revocation. */
export function tokenService(core: Core): ServiceRegistration {
  return registerService(TokenService, {
    /**
     * validateToken is public and answers 200 {valid: false} for any bad token (what relying
     * services' clients expect); the token comes from the body or, when that is empty, from the
     * request's own Authorization header. Roles are the token's roles the account still holds.
     */
    async validateToken(req, ctx) {
      const token = req.token || requestBearer(ctx);
      if (!token) return { valid: false };
      try {
        const v = await core.tokens.verify(token);
        return {
          valid: true,
          sub: v.account.uuid,
          username: v.account.username,
          roles: [...v.roles],
          expiresAt: timestampOf(v.expiresAt),
          accountType: v.account.accountType,
          jti: v.jti,
        };
      } catch (err) {
        if (err instanceof McError && err.category === 'unauthenticated') return { valid: false };
        throw err;
      }
    },

    /** issueServiceToken signs a token for an active system account, without any password. */
    async issueServiceToken(req, ctx) {
      const caller = requireCaller(ctx);
      const target = core.accounts.findLive(req.accountId);
      core.authorizer.require(subjectOf(caller), Actions.TokensIssue, { type: 'account', ownerUuid: target.uuid });
      if (target.accountType !== 'system') {
        throw new PreconditionError(`${target.username} is not a system account; people log in for their tokens`, {
          code: 'ERR_NOT_SYSTEM_ACCOUNT',
        });
      }
      if (target.status !== 'active') throw new PreconditionError(`${target.username} is not active`, { code: 'ERR_INACTIVE' });
      const issued = await core.tokens.issue(target, 'service');
      core.audit.record({
        type: AuditEvents.TokenIssued,
        actorId: caller.id,
        targetId: target.uuid,
        ip: actorOf(ctx).ip,
        details: { jti: issued.jti, kind: 'service', expires_at: new Date(issued.expiresAt).toISOString() },
      });
      return { token: issued.token, expiresAt: timestampOf(issued.expiresAt) };
    },

    /** revokeToken revokes by jti; revoking an already revoked token succeeds quietly. */
    revokeToken(req, ctx) {
      const caller = requireCaller(ctx);
      const row = req.jti ? core.tokens.lookup(req.jti) : undefined;
      if (!row) {
        // Only a caller who may revoke tokens at all learns that a jti does not exist.
        core.authorizer.require(subjectOf(caller), Actions.TokensRevoke, { type: 'token' });
        throw new NotFoundError('token not found');
      }
      const owner = core.stores.accounts.byId(row.accountId);
      core.authorizer.require(subjectOf(caller), Actions.TokensRevoke, { type: 'token', ownerUuid: owner?.uuid ?? '' });
      if (core.tokens.revoke(row.jti, 'revoked')) {
        core.audit.record({
          type: AuditEvents.TokenRevoked,
          actorId: caller.id,
          targetId: owner?.uuid,
          ip: actorOf(ctx).ip,
          details: { jti: row.jti, reason: 'revoked' },
        });
      }
      return {};
    },
  });
}
