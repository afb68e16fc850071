import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import { bearerToken, callerOf, peerAddressOf, UnauthenticatedError, type HttpServer } from '@metacircular/mcdsl';
import type { Actor } from '../audit/index.js';
import type { PolicySubject } from '../policy/index.js';
import { isMciasCaller, type MciasCaller } from '../tokens/index.js';

/**
 * peerAddressHeader carries the client's address to handlers called by the web UI's in-process
 * transport, whose context has only the request headers. Our onRequest hook always overwrites it
 * with the socket's address, so a client cannot choose it. Calls over gRPC and transcoded REST
 * get the TCP peer from mcdsl (peerAddressOf) instead.
 */
export const peerAddressHeader = 'x-mcias-peer-address';

/** installPeerAddressHook stamps every REST request with its socket's address. */
export function installPeerAddressHook(app: HttpServer['app']): void {
  app.addHook('onRequest', (request, _reply, done) => {
    request.headers[peerAddressHeader] = request.ip;
    done();
  });
}

/** peerAddress is the client's address for rate limits and the audit log. */
export function peerAddress(ctx: HandlerContext): string {
  return peerAddressOf(ctx) ?? ctx.requestHeader.get(peerAddressHeader) ?? '';
}

/** requireCaller returns the authenticated caller, or throws for a call that has none. */
export function requireCaller(ctx: HandlerContext): MciasCaller {
  const caller = callerOf(ctx);
  if (!isMciasCaller(caller)) throw new UnauthenticatedError();
  return caller;
}

/** requestBearer is the bearer token of the request itself (for the public self-checking RPCs). */
export function requestBearer(ctx: HandlerContext): string | undefined {
  return bearerToken(ctx.requestHeader.get('authorization') ?? undefined);
}

/** actorOf is the audit actor of a call, with whether the caller is an admin. */
export function actorOf(ctx: HandlerContext, caller?: MciasCaller): Actor & { isAdmin: boolean } {
  return { id: caller?.id, ip: peerAddress(ctx), isAdmin: caller?.isAdmin ?? false };
}

/** subjectOf is the policy subject of a caller. */
export function subjectOf(caller: MciasCaller): PolicySubject {
  return { uuid: caller.id, roles: caller.roles, accountType: caller.accountType };
}

/**
 * takeRateLimit refuses a call over its client's budget with RESOURCE_EXHAUSTED, which the REST
 * surface answers as 429 (mcdsl's McError has no rate-limit category, so this is a ConnectError).
 */
export function takeRateLimit(limiter: { take(key: string): boolean }, ctx: HandlerContext): void {
  if (!limiter.take(peerAddress(ctx))) throw new ConnectError('too many requests; slow down', Code.ResourceExhausted);
}
