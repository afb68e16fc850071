import { getSessionToken, UnauthenticatedError, type Authenticate, type CSRF, type CsrfField } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../core.js';
import { subjectOf } from '../grpc/request-context.js';
import type { Action } from '../policy/index.js';
import { isMciasCaller, type MciasCaller } from '../tokens/index.js';
import type { InProcessServer } from './in-process-transport.js';
import type { PendingLogins } from './pending-logins.js';
import { sessionCookieName } from './web-paths.js';
import { webRpc, type WebRpc } from './web-rpc.js';

/** WebContext is everything the pages need, built once by registerWebRoutes. */
export interface WebContext {
  readonly core: Core;
  readonly server: InProcessServer;
  readonly authenticate: Authenticate;
  /** the CSRF check, keyed from the vault; SealedError while sealed */
  readonly csrf: () => CSRF;
  readonly pendingLogins: PendingLogins;
}

/** rpcFor is the API as this request may call it: under its session token, from its address. */
export function rpcFor(ctx: WebContext, request: FastifyRequest): WebRpc {
  return webRpc(ctx.server, {
    token: getSessionToken(request, { name: sessionCookieName }),
    ip: request.ip,
    url: request.url,
  });
}

/** sessionCaller is the caller requireSession put on a session route's request. */
export function sessionCaller(request: FastifyRequest): MciasCaller {
  if (!isMciasCaller(request.caller)) throw new UnauthenticatedError();
  return request.caller;
}

/**
 * mayDo tells whether the policy would let the caller do an action, to decide which links a
 * page shows. Display only: the call behind the link is authorized by the API when it is made.
 */
export function mayDo(core: Core, caller: MciasCaller, action: Action, resourceType: string): boolean {
  return core.authorizer.decide(subjectOf(caller), action, { type: resourceType }).effect === 'allow';
}

/** CsrfField is the CSRF token of one response and the form field that carries it (mcdsl's). */
export type { CsrfField };

// One token per response: issuing twice for a browser without the cookie would set two
// different nonces, and the token of the first would not match the cookie the browser keeps.
const issued = new WeakMap<FastifyReply, CsrfField>();

/** csrfFor is the response's CSRF token (setting the nonce cookie when the browser has none). */
export function csrfFor(ctx: WebContext, reply: FastifyReply): CsrfField {
  let field = issued.get(reply);
  if (!field) {
    const csrf = ctx.csrf();
    field = { fieldName: csrf.fieldName, token: csrf.issue(reply) };
    issued.set(reply, field);
  }
  return field;
}
