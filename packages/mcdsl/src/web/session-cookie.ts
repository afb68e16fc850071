import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseCookies, serializeCookie } from '../httpserver/index.js';

/**
 * sessionCookieName is the default session cookie. Cookies are not isolated by port, so two
 * services on one host name must each pass their own `name`.
 */
export const sessionCookieName = 'mc_session';

/** SessionCookieName picks the cookie; absent means `mc_session`. */
export interface SessionCookieName {
  readonly name?: string;
}

// Always Secure, even in tests: every listener of the platform is TLS.
const attributes = { httpOnly: true, secure: true, sameSite: 'Strict', path: '/' } as const;

/** setSessionCookie stores the session token (an MCIAS token) in an HttpOnly, Secure, SameSite=Strict cookie. */
export function setSessionCookie(reply: FastifyReply, token: string, opts: { maxAgeSeconds: number } & SessionCookieName): void {
  void reply.header(
    'set-cookie',
    serializeCookie(opts.name ?? sessionCookieName, token, { ...attributes, maxAgeSeconds: opts.maxAgeSeconds }),
  );
}

/** clearSessionCookie tells the browser to drop the session cookie (logout). */
export function clearSessionCookie(reply: FastifyReply, opts: SessionCookieName = {}): void {
  void reply.header('set-cookie', serializeCookie(opts.name ?? sessionCookieName, '', { ...attributes, maxAgeSeconds: 0 }));
}

/** getSessionToken reads the session token from the request's cookies, if any. */
export function getSessionToken(request: FastifyRequest, opts: SessionCookieName = {}): string | undefined {
  const token = parseCookies(request.headers.cookie).get(opts.name ?? sessionCookieName);
  return token ? token : undefined;
}
