import { ForbiddenError, SealedError, UnauthenticatedError } from '../errors/index.js';

/**
 * The access table is how every service is default-deny: each REST route and each RPC is listed
 * once, with who may call it. Both servers (httpserver, grpcserver) enforce it before a handler
 * runs, and a route or RPC that is not in the table is refused (and fails the completeness test).
 *
 * Keys: REST routes are `"<METHOD> <fastify path>"` (e.g. `"GET /v1/accounts/:id"`), RPCs are
 * their full procedure path (e.g. `"/mcias.v1.AccountService/GetAccount"`).
 */
export type AccessLevel =
  /** anyone, no token needed */
  | 'public'
  /** any valid token, guests included (self-service calls such as logout) */
  | 'token'
  /** any valid token of a non-guest account */
  | 'authenticated'
  /** a valid token whose roles contain `admin` */
  | 'admin';

/** AccessRule is one row of the table. */
export interface AccessRule {
  readonly level: AccessLevel;
  /** when true the call is refused with 503 while the service is sealed */
  readonly unsealed?: boolean;
}

/** AccessTable maps a route or RPC key to its rule. */
export type AccessTable = Readonly<Record<string, AccessRule>>;

/** Caller is who a validated token belongs to, as MCIAS says. */
export interface Caller {
  readonly username: string;
  readonly roles: readonly string[];
  /** 'human' or 'system' */
  readonly accountType: string;
  readonly isAdmin: boolean;
  readonly isGuest: boolean;
  /** the raw bearer token, for calls made on the caller's behalf */
  readonly token: string;
}

/** Authenticate turns a bearer token into a Caller or throws UnauthenticatedError. */
export type Authenticate = (token: string) => Promise<Caller>;

/** AccessContext is what enforcement needs besides the rule and the token. */
export interface AccessContext {
  readonly authenticate?: Authenticate;
  /** reports whether the service is sealed; absent means never sealed */
  readonly isSealed?: () => boolean;
}

/**
 * enforceAccess applies one rule to one call and returns the caller (undefined for a public
 * call made without a token). The checks run in this order, each with its own error:
 *   1. no rule        -> ForbiddenError (default deny; an unlisted route is a bug)
 *   2. sealed         -> SealedError, before any token is looked at
 *   3. public         -> allowed
 *   4. no token       -> UnauthenticatedError
 *   5. bad token      -> UnauthenticatedError (from authenticate)
 *   6. level 'token'  -> allowed (guests included)
 *   7. guest          -> ForbiddenError
 *   8. admin required -> ForbiddenError unless the caller is admin
 */
export async function enforceAccess(
  rule: AccessRule | undefined,
  token: string | undefined,
  ctx: AccessContext,
): Promise<Caller | undefined> {
  if (!rule) throw new ForbiddenError('route is not in the access table');
  if (rule.unsealed && ctx.isSealed?.()) throw new SealedError();
  if (rule.level === 'public') return undefined;
  if (!token) throw new UnauthenticatedError();
  if (!ctx.authenticate) throw new UnauthenticatedError();
  const caller = await ctx.authenticate(token);
  if (rule.level === 'token') return caller;
  if (caller.isGuest && !caller.isAdmin) throw new ForbiddenError();
  if (rule.level === 'admin' && !caller.isAdmin) throw new ForbiddenError();
  return caller;
}

/** bearerToken extracts the token from an `Authorization: Bearer …` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
