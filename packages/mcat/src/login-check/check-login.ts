import { ForbiddenError, UnauthenticatedError, UnavailableError } from '@metacircular/mcdsl';
import type { Authenticator } from '@metacircular/mcdsl';
import type { LoginOutcome } from './login-outcome.js';

/** LoginAttempt is what the user typed; the service context is the Authenticator's. */
export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  /** absent when the user left the TOTP field empty */
  readonly totpCode?: string;
}

/** MciasLogin is the part of mcdsl's Authenticator a login check uses. */
export type MciasLogin = Pick<Authenticator, 'login' | 'validate'>;

/**
 * checkLogin posts one login to MCIAS with the configured service_name and tags (the
 * Authenticator adds them) and classifies the answer:
 *
 *   1. 401 from login                    -> bad-credentials
 *   2. 403 from login                    -> denied-by-policy
 *   3. 200: validate the new token       -> accepted, with username, roles, account type
 *   4. anything else, or a token that does not validate at once -> UnavailableError
 *
 * The password goes to MCIAS and nowhere else: it is not logged, kept or returned.
 */
export async function checkLogin(mcias: MciasLogin, attempt: LoginAttempt): Promise<LoginOutcome> {
  let issued;
  try {
    issued = await mcias.login(attempt.username, attempt.password, attempt.totpCode);
  } catch (err) {
    if (err instanceof UnauthenticatedError && err.code === 'ERR_INVALID_CREDENTIALS') return { kind: 'bad-credentials' };
    if (err instanceof ForbiddenError && err.code === 'ERR_LOGIN_DENIED') return { kind: 'denied-by-policy' };
    throw err;
  }
  try {
    const caller = await mcias.validate(issued.token);
    return { kind: 'accepted', token: issued.token, expiresAt: issued.expiresAt, caller };
  } catch (err) {
    // validate fails closed when MCIAS is unreachable; a token MCIAS just issued cannot be bad.
    throw new UnavailableError('mcias issued a token but did not validate it; check that mcias is healthy', {
      cause: err,
      code: 'ERR_MCIAS_VALIDATE',
    });
  }
}
