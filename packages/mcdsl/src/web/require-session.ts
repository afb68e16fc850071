import type { FastifyReply, FastifyRequest } from 'fastify';
import { enforceAccess } from '../access/index.js';
import type { Authenticate } from '../access/index.js';
import { UnauthenticatedError } from '../errors/index.js';
import { clearSessionCookie, getSessionToken } from './session-cookie.js';

/** RequireSessionOptions say who may see the pages and where the others go. */
export interface RequireSessionOptions {
  /** default '/login' */
  readonly loginPath?: string;
  /** 'authenticated' (default: any non-guest) or 'admin' */
  readonly level?: 'authenticated' | 'admin';
  /** session cookie name, default `mc_session` */
  readonly cookieName?: string;
}

/**
 * requireSession builds a preHandler hook for web pages that need a logged-in user. It runs
 * the same checks as the access table on the session cookie's token and puts the caller on
 * `request.caller`. Without a valid session the browser is sent to the login page: a 303
 * redirect, or for htmx requests a 401 with `HX-Redirect` (htmx would otherwise swap the
 * login page into a fragment). A stale cookie is cleared on the way. A logged-in caller
 * without the level gets 403 from the error handler.
 */
export function requireSession(
  authenticate: Authenticate,
  opts: RequireSessionOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const loginPath = opts.loginPath ?? '/login';
  const rule = { level: opts.level ?? 'authenticated' } as const;
  const cookie = opts.cookieName ? { name: opts.cookieName } : {};
  return async (request, reply) => {
    const token = getSessionToken(request, cookie);
    try {
      request.caller = await enforceAccess(rule, token, { authenticate });
      return undefined;
    } catch (err) {
      if (!(err instanceof UnauthenticatedError)) throw err;
      if (token) clearSessionCookie(reply, cookie);
      if (request.headers['hx-request'] === 'true') {
        return reply.code(401).header('hx-redirect', loginPath).send({ error: err.message });
      }
      return reply.redirect(loginPath, 303);
    }
  };
}
