/**
 * A small cookie codec (RFC 6265 section 4) shared by the session and CSRF helpers, so neither
 * needs a cookie plugin. Values are kept as sent: the platform only ever stores base64url and
 * token characters in cookies, so no percent-decoding is done and nothing is lost.
 */

// RFC 6265 cookie-name is an RFC 7230 token; cookie-octet excludes CTLs, space, DQUOTE, comma,
// semicolon and backslash.
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const cookieValuePattern = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/** CookieOptions are the attributes of one Set-Cookie header. */
export interface CookieOptions {
  readonly maxAgeSeconds?: number;
  readonly path?: string;
  readonly httpOnly?: boolean;
  readonly secure?: boolean;
  readonly sameSite?: 'Strict' | 'Lax' | 'None';
}

/**
 * parseCookies reads a Cookie request header into a map. It never throws: pairs without `=`
 * or with a name that is not a token are skipped, and when a name repeats the first wins
 * (browsers send the most specific path first).
 */
export function parseCookies(header: string | readonly string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  const text = typeof header === 'string' ? header : header.join('; ');
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!tokenPattern.test(name) || cookies.has(name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies.set(name, value);
  }
  return cookies;
}

/**
 * serializeCookie builds one Set-Cookie header value. It throws a TypeError for a name or value
 * a browser would mangle, since that is a programming error, never caller input.
 */
export function serializeCookie(name: string, value: string, opts: CookieOptions = {}): string {
  if (!tokenPattern.test(name)) throw new TypeError(`cookie name "${name}" is not an http token`);
  if (!cookieValuePattern.test(value)) throw new TypeError(`cookie "${name}" has characters not allowed in a value`);
  const parts = [`${name}=${value}`];
  if (opts.maxAgeSeconds !== undefined) {
    if (!Number.isInteger(opts.maxAgeSeconds)) throw new TypeError(`cookie "${name}" max-age must be an integer`);
    parts.push(`Max-Age=${opts.maxAgeSeconds}`);
  }
  const path = opts.path ?? '/';
  if (!/^\/[\x21-\x3A\x3C-\x7E]*$/.test(path))
    throw new TypeError(`cookie "${name}" path "${path}" is not a plain absolute path`);
  parts.push(`Path=${path}`);
  if (opts.httpOnly) parts.push('HttpOnly');
  if (opts.secure) parts.push('Secure');
  if (opts.sameSite) parts.push(`SameSite=${opts.sameSite}`);
  return parts.join('; ');
}
