import type { Timestamp } from '@bufbuild/protobuf/wkt';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext } from '@connectrpc/connect';
import type { Caller } from '../access/index.js';
import type { Authenticator } from '../auth/index.js';
import { UnauthenticatedError } from '../errors/index.js';
import { callerOf } from './service-registration.js';

/** MciasAuthHandlers are the RPCs of the platform's AuthService convention, for any service's generated AuthService. */
export interface MciasAuthHandlers {
  /** Login forwards the credentials to MCIAS with the service's name and tags */
  readonly login: (req: {
    username: string;
    password: string;
    totpCode: string;
  }) => Promise<{ token: string; expiresAt: Timestamp }>;
  /** Logout revokes the caller's own token at MCIAS */
  readonly logout: (req: unknown, ctx: HandlerContext) => Promise<Record<string, never>>;
  /** TokenInfo tells a token holder who MCIAS says they are */
  readonly tokenInfo: (
    req: unknown,
    ctx: HandlerContext,
  ) => { username: string; roles: string[]; isAdmin: boolean; accountType: string };
}

/**
 * mciasAuthHandlers implement AuthService for a service that keeps no credentials: Login
 * forwards to MCIAS with the service's `[mcias] service_name` and tags (MCIAS's login policy
 * decides: 401 bad credentials, 403 denied by policy), Logout revokes the caller's token there,
 * TokenInfo echoes the validated caller. Each service registers them against its own generated
 * AuthService (`registerService(AuthService, mciasAuthHandlers(authenticator))`); Logout and
 * TokenInfo need an access level that admits the caller's token.
 */
export function mciasAuthHandlers(authenticator: Pick<Authenticator, 'login' | 'logout'>): MciasAuthHandlers {
  const callerFrom = (ctx: HandlerContext): Caller => {
    const caller = callerOf(ctx);
    if (!caller) throw new UnauthenticatedError();
    return caller;
  };
  return {
    login: async (req) => {
      const issued = await authenticator.login(req.username, req.password, req.totpCode === '' ? undefined : req.totpCode);
      return { token: issued.token, expiresAt: timestampFromDate(issued.expiresAt) };
    },

    logout: async (_req, ctx) => {
      await authenticator.logout(callerFrom(ctx).token);
      return {};
    },

    tokenInfo: (_req, ctx) => {
      const caller = callerFrom(ctx);
      return { username: caller.username, roles: [...caller.roles], isAdmin: caller.isAdmin, accountType: caller.accountType };
    },
  };
}
