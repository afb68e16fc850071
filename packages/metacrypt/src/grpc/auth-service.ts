import { mciasAuthHandlers, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { AuthService } from '@metacircular/proto/metacrypt/v1/auth_pb';
import type { Core } from '../core.js';

/**
 * authService forwards logins to MCIAS (with `[mcias] service_name` and tags, so MCIAS's login
 * policy applies: 401 for bad credentials, 403 when the policy denies), logs tokens out at
 * MCIAS, and tells a token holder who MCIAS says they are (mcdsl mciasAuthHandlers). Metacrypt
 * keeps no users.
 */
export function authService(core: Core): ServiceRegistration {
  return registerService(AuthService, mciasAuthHandlers(core.authenticator));
}
