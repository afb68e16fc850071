import { mciasAuthHandlers, registerService, type Authenticator, type ServiceRegistration } from '@metacircular/mcdsl';
import { AuthService } from '@metacircular/proto/mcns/v1/auth_pb';

/**
 * authService is the platform's AuthService convention (mcdsl mciasAuthHandlers): MCNS keeps no
 * credentials, so Login forwards them to MCIAS with MCNS's `[mcias] service_name` and tags
 * (MCIAS's login policy decides: 401 bad credentials, 403 denied by policy) and Logout revokes
 * the caller's token there. Logout's access level is 'token', so a guest can end its own session
 * too. MCNS's AuthService has no TokenInfo.
 */
export function authService(authenticator: Authenticator): ServiceRegistration {
  const { login, logout } = mciasAuthHandlers(authenticator);
  return registerService(AuthService, { login, logout });
}
