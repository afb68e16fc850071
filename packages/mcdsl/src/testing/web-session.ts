// A minimal browser for a service's web UI over real HTTPS, for the tests that need no Chromium.
import { httpsRequest, type TestResponse } from './https-request.js';

/** SetCookie is one parsed Set-Cookie header. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  /** attribute names lowercased; flags map to '' */
  readonly attributes: ReadonlyMap<string, string>;
}

/** parseSetCookies reads every Set-Cookie header of a response. */
export function parseSetCookies(res: TestResponse): SetCookie[] {
  return (res.headers['set-cookie'] ?? []).map((header) => {
    const [pair = '', ...attrs] = header.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const attributes = new Map<string, string>();
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      attributes.set((i < 0 ? attr : attr.slice(0, i)).toLowerCase(), i < 0 ? '' : attr.slice(i + 1));
    }
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
  });
}

/** WebSendOptions change how one form is sent. */
export interface WebSendOptions {
  /** false: no CSRF token; a string: that token instead of the page's */
  readonly csrf?: boolean | string;
  /** send as htmx does (HX-Request, the token in the X-CSRF-Token header) */
  readonly htmx?: boolean;
}

/** WebFields are a form's fields; an array sends the key once per value. */
export type WebFields = Record<string, string | readonly string[]>;

/**
 * WebSession keeps cookies, takes the CSRF token from the last page that had one
 * (`<meta name="csrf-token">`), sends urlencoded forms with it (the `csrf_token` field, or the
 * X-CSRF-Token header as htmx does), and records every response (in a list that may be shared
 * between sessions) so a test can check what was ever sent back.
 */
export class WebSession {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly ca: string | Buffer,
    readonly responses: TestResponse[] = [],
  ) {}

  /** get loads a page and takes its CSRF token. */
  get(path: string, opts: WebSendOptions = {}): Promise<TestResponse> {
    return this.send('GET', path, undefined, opts);
  }

  /** post submits a form with the current CSRF token. */
  post(path: string, fields: WebFields, opts: WebSendOptions = {}): Promise<TestResponse> {
    return this.send('POST', path, fields, opts);
  }

  /** send submits a form (fields urlencoded, repeated keys from arrays) with the CSRF token. */
  async send(method: string, path: string, fields: WebFields | undefined, opts: WebSendOptions = {}): Promise<TestResponse> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (opts.htmx) headers['hx-request'] = 'true';
    const token = opts.csrf === false ? undefined : typeof opts.csrf === 'string' ? opts.csrf : this.csrfToken;
    let body: string | undefined;
    if (method !== 'GET' && method !== 'DELETE') {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields ?? {})) {
        for (const item of typeof v === 'string' ? [v] : v) form.append(k, item);
      }
      if (token !== undefined && !opts.htmx) form.set('csrf_token', token);
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (token !== undefined && (opts.htmx || body === undefined) && method !== 'GET') headers['x-csrf-token'] = token;
    const res = await httpsRequest(`${this.baseUrl}${path}`, {
      ca: this.ca,
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    this.responses.push(res);
    for (const cookie of parseSetCookies(res)) {
      if (cookie.attributes.get('max-age') === '0') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const found = /<meta name="csrf-token" content="([^"]+)">/.exec(res.body)?.[1];
    if (found) this.csrfToken = found;
    return res;
  }

  /** login signs in through the form (GET /login for the token, then POST /login). */
  async login(username: string, password: string): Promise<TestResponse> {
    await this.get('/login');
    return this.send('POST', '/login', { username, password });
  }
}

/** textOf is a page's visible text, roughly: tags dropped, whitespace collapsed, entities kept. */
export function textOf(res: TestResponse): string {
  return res.body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
