import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { callerOf, registerService, UnauthenticatedError, type ServiceRegistration } from '@metacircular/mcdsl';
import { AuthService } from '@metacircular/proto/metacrypt/v1/auth_pb';
import type { Core } from '../core.js';

/**
 * authService forwards logins to MCIAS (with `[mcias] service_name` and tags, so MCIAS's login
 * policy applies: 401 for bad credentials, 403 when the policy denies), logs tokens out at
 * MCIAS, and tells a token holder who MCIAS says they are. Metacrypt keeps no users.
 */
export function authService(core: Core): ServiceRegistration {
  return registerService(AuthService, {
    async login(req) {
      const issued = await core.authenticator.login(req.username, req.password, req.totpCode || undefined);
      return { token: issued.token, expiresAt: timestampFromDate(issued.expiresAt) };
    },

    async logout(_req, ctx) {
      const caller = callerOf(ctx);
      if (!caller) throw new UnauthenticatedError();
      await core.authenticator.logout(caller.token);
      return {};
    },

    tokenInfo(_req, ctx) {
      const caller = callerOf(ctx);
      if (!caller) throw new UnauthenticatedError();
      return {
        username: caller.username,
        roles: [...caller.roles],
        isAdmin: caller.isAdmin,
        accountType: caller.accountType,
      };
    },
  });
}
