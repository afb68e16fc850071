import type { Authenticate, Caller } from '@metacircular/mcdsl';
import type { AccountType } from '../policy/index.js';
import type { TokenAuthority } from './token-authority.js';

/**
 * MciasCaller is the Caller MCIAS's own servers see: mcdsl's Caller plus the account UUID and
 * the token's jti and expiry, which self-service handlers (logout, renew, password change) need.
 */
export interface MciasCaller extends Caller {
  readonly id: string;
  readonly accountType: AccountType;
  readonly jti: string;
  readonly expiresAt: number;
}

/** isMciasCaller tells an MciasCaller from a plain Caller. */
export function isMciasCaller(caller: Caller | undefined): caller is MciasCaller {
  return (
    caller !== undefined &&
    typeof (caller as Partial<MciasCaller>).id === 'string' &&
    typeof (caller as Partial<MciasCaller>).jti === 'string'
  );
}

/**
 * createAuthenticate builds the access-table Authenticate of MCIAS's REST and gRPC servers: it
 * verifies our own tokens locally (alg, signature, expiry, revocation, account active) instead
 * of calling /v1/token/validate on ourselves. Roles are the token's roles still held now.
 */
export function createAuthenticate(tokens: TokenAuthority): Authenticate {
  return async (token: string): Promise<MciasCaller> => {
    const verified = await tokens.verify(token);
    const roles = [...verified.roles];
    return {
      id: verified.account.uuid,
      username: verified.account.username,
      roles,
      accountType: verified.account.accountType,
      isAdmin: roles.includes('admin'),
      isGuest: roles.includes('guest'),
      token,
      jti: verified.jti,
      expiresAt: verified.expiresAt,
    };
  };
}
