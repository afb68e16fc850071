import { Code, ConnectError } from '@connectrpc/connect';
import {
  getSessionToken,
  UnauthenticatedError,
  type Authenticate,
  type Caller,
  type CSRF,
  type CsrfField,
} from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api, ApiConnection } from './api-client.js';
import { sessionCookieName } from './web-paths.js';

/** WebContext is everything the pages need, built once by startWebServer. */
export interface WebContext {
  readonly api: ApiConnection;
  readonly csrf: CSRF;
  /** the session check: the API's TokenInfo under the cookie's token */
  readonly authenticate: Authenticate;
}

/** apiFor is the API as this request may call it: under its session token, for its address. */
export function apiFor(ctx: WebContext, request: FastifyRequest): Api {
  return ctx.api.as({ token: getSessionToken(request, { name: sessionCookieName }), ip: request.ip });
}

/**
 * sessionAuthenticator turns a session token into a Caller by asking the API (TokenInfo), which
 * asks MCIAS and caches the answer 30 s. A token the API refuses is an UnauthenticatedError (the
 * session is over); any other failure (API down) stays what it is.
 */
export function sessionAuthenticator(api: ApiConnection): Authenticate {
  return async (token) => {
    try {
      const info = await api.as({ token, ip: '' }).auth.tokenInfo({});
      return {
        username: info.username,
        roles: info.roles,
        accountType: info.accountType,
        isAdmin: info.isAdmin,
        isGuest: info.roles.includes('guest'),
        token,
      };
    } catch (err) {
      if (err instanceof ConnectError && err.code === Code.Unauthenticated) throw new UnauthenticatedError(err.rawMessage);
      throw err;
    }
  };
}

/** sessionCaller is the caller requireSession put on a session route's request. */
export function sessionCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new UnauthenticatedError();
  return request.caller;
}

/** optionalCaller is who the session cookie belongs to, or undefined (no cookie, or a token no longer valid). */
export async function optionalCaller(ctx: WebContext, request: FastifyRequest): Promise<Caller | undefined> {
  const token = getSessionToken(request, { name: sessionCookieName });
  if (!token) return undefined;
  try {
    return await ctx.authenticate(token);
  } catch (err) {
    if (err instanceof UnauthenticatedError) return undefined;
    throw err;
  }
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
    field = { fieldName: ctx.csrf.fieldName, token: ctx.csrf.issue(reply) };
    issued.set(reply, field);
  }
  return field;
}
