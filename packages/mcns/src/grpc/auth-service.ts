import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  callerOf,
  registerService,
  UnauthenticatedError,
  type Authenticator,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { AuthService } from '@metacircular/proto/mcns/v1/auth_pb';

/**
 * authService is the platform's AuthService convention: MCNS keeps no credentials, so Login
 * forwards them to MCIAS with MCNS's `[mcias] service_name` and tags (MCIAS's login policy
 * decides: 401 bad credentials, 403 denied by policy) and Logout revokes the caller's token
 * there. Logout's access level is 'token', so a guest can end its own session too.
 */
export function authService(authenticator: Authenticator): ServiceRegistration {
  return registerService(AuthService, {
    async login(req) {
      const issued = await authenticator.login(req.username, req.password, req.totpCode === '' ? undefined : req.totpCode);
      return { token: issued.token, expiresAt: timestampFromDate(issued.expiresAt) };
    },

    async logout(_req, ctx) {
      const caller = callerOf(ctx);
      if (!caller) throw new UnauthenticatedError();
      await authenticator.logout(caller.token);
      return {};
    },
  });
}
