import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, InvalidRequestError } from '../errors/index.js';
import { parseCookies, serializeCookie } from '../httpserver/index.js';

/** CSRFOptions configure one signed double-submit cookie. */
export interface CSRFOptions {
  /** HMAC key, at least 32 random bytes, kept for the life of the process or longer */
  readonly key: Buffer;
  /** default `__Host-csrf` (the prefix makes browsers refuse it from subdomains or over http) */
  readonly cookieName?: string;
  /** form field carrying the token, default `csrf_token` */
  readonly fieldName?: string;
  /** header carrying the token (htmx `hx-headers`), default `x-csrf-token` */
  readonly headerName?: string;
  /**
   * bind ties tokens to the request's session (e.g. its session cookie), so a token
   * obtained under one session fails under another; absent means unbound
   */
  readonly bind?: (request: FastifyRequest) => string | undefined;
}

/** CSRF issues and checks the tokens of one web UI. */
export interface CSRF {
  readonly cookieName: string;
  readonly fieldName: string;
  readonly headerName: string;
  /** issue returns the token to embed in forms and `hx-headers`, setting the cookie if needed */
  issue(reply: FastifyReply): string;
  /** verify throws ForbiddenError('invalid csrf token') unless a mutating request proves its origin */
  verify(request: FastifyRequest): void;
  /** csrfHook is `verify` as a fastify preHandler hook (after the body is parsed) */
  readonly csrfHook: (request: FastifyRequest) => Promise<void>;
}

const nonceBytes = 32;
// base64url of exactly 32 bytes: 43 characters, no padding.
const base64url32 = /^[A-Za-z0-9_-]{43}$/;
const checkedMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * createCSRF builds the signed double-submit cookie check. The cookie holds a random nonce;
 * the token is `base64url(nonce) "." base64url(HMAC-SHA256(key, nonce [|| binding]))`. A page
 * from our origin can read the token it was given; a cross-site form can neither read the
 * cookie nor forge the HMAC, and SameSite=Strict keeps the cookie off cross-site requests too.
 */
export function createCSRF(opts: CSRFOptions): CSRF {
  if (opts.key.length < 32) {
    throw new InvalidRequestError('csrf key must be at least 32 bytes; generate it with randomBytes(32)', {
      code: 'ERR_CSRF_KEY',
    });
  }
  const key = Buffer.from(opts.key);
  const cookieName = opts.cookieName ?? '__Host-csrf';
  const fieldName = opts.fieldName ?? 'csrf_token';
  const headerName = (opts.headerName ?? 'x-csrf-token').toLowerCase();

  const mac = (nonce: Buffer, request: FastifyRequest): Buffer =>
    createHmac('sha256', key)
      .update(nonce)
      .update(opts.bind?.(request) ?? '')
      .digest();

  const cookieNonce = (request: FastifyRequest): Buffer | undefined => {
    const value = parseCookies(request.headers.cookie).get(cookieName);
    return value !== undefined && base64url32.test(value) ? Buffer.from(value, 'base64url') : undefined;
  };

  function issue(reply: FastifyReply): string {
    // Reusing the nonce already in the browser keeps tokens of pages open in other tabs valid.
    let nonce = cookieNonce(reply.request);
    if (!nonce) {
      nonce = randomBytes(nonceBytes);
      void reply.header(
        'set-cookie',
        serializeCookie(cookieName, nonce.toString('base64url'), { httpOnly: true, secure: true, sameSite: 'Strict', path: '/' }),
      );
    }
    return `${nonce.toString('base64url')}.${mac(nonce, reply.request).toString('base64url')}`;
  }

  /**
   * The checks, each failing with the same generic error so a prober learns nothing:
   *   1. the cookie holds a well-formed nonce
   *   2. a token came in the header or the form field, shaped nonce "." mac
   *   3. the mac is ours over the token's nonce (constant time)
   *   4. the token's nonce is the cookie's nonce (constant time)
   */
  function verify(request: FastifyRequest): void {
    if (!checkedMethods.has(request.method)) return;
    const fail = (): never => {
      throw new ForbiddenError('invalid csrf token', { code: 'ERR_CSRF' });
    };
    const fromCookie = cookieNonce(request) ?? fail();
    const token = submittedToken(request, headerName, fieldName) ?? fail();
    const parts = token.split('.');
    const [nonceB64 = '', macB64 = ''] = parts;
    if (parts.length !== 2 || !base64url32.test(nonceB64) || !base64url32.test(macB64)) fail();
    const nonce = Buffer.from(nonceB64, 'base64url');
    const given = Buffer.from(macB64, 'base64url');
    if (!timingSafeEqual(given, mac(nonce, request))) fail();
    if (!timingSafeEqual(nonce, fromCookie)) fail();
  }

  return { cookieName, fieldName, headerName, issue, verify, csrfHook: (request) => Promise.resolve(request).then(verify) };
}

function submittedToken(request: FastifyRequest, headerName: string, fieldName: string): string | undefined {
  const header = request.headers[headerName];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body;
  if (body && typeof body === 'object' && Object.hasOwn(body, fieldName)) {
    const field = (body as Record<string, unknown>)[fieldName];
    if (typeof field === 'string' && field !== '') return field;
  }
  return undefined;
}
