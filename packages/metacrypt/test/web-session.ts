// A minimal browser for Metacrypt's web UI over real HTTPS, for the tests that need no Chromium,
// and the helper that starts the web UI next to a test Metacrypt (until main.ts starts it).
import { join } from 'node:path';
import { createLogger, loadTLSFiles } from '@metacircular/mcdsl';
import { httpsRequest, type TestResponse } from '@metacircular/mcdsl/testing';
import type { TestMetacrypt } from '../src/testing.js';
import { sessionCookieName, startWebServer, type RunningWebServer } from '../src/web/index.js';

/** startTestWeb starts the web UI on 127.0.0.1:0 against the test server's gRPC listener. */
export async function startTestWeb(mc: TestMetacrypt): Promise<RunningWebServer> {
  return startWebServer({
    listenAddr: '127.0.0.1:0',
    tls: await loadTLSFiles({ cert: mc.pki.certPath, key: mc.pki.keyPath }),
    grpcUrl: mc.grpcUrl,
    grpcCa: mc.caCert,
    logger: createLogger({ service: 'metacrypt-web', level: 'debug', destination: join(mc.dir, 'web.log') }),
  });
}

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

/** SendOptions change how one form is sent. */
export interface SendOptions {
  /** false: no CSRF token; a string: that token instead of the page's */
  readonly csrf?: boolean | string;
  /** send as htmx does (HX-Request, the token in the X-CSRF-Token header) */
  readonly htmx?: boolean;
}

/**
 * WebSession keeps cookies, takes the CSRF token from the last page that had one
 * (`<meta name="csrf-token">`), and sends urlencoded forms with it, as a plain form (the hidden
 * field) or as htmx does (the header).
 */
export class WebSession {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly ca: string,
  ) {}

  get(path: string): Promise<TestResponse> {
    return this.send('GET', path, undefined);
  }

  /** send submits a form (fields urlencoded, repeated keys from arrays) with the CSRF token. */
  async send(
    method: string,
    path: string,
    fields: Record<string, string | readonly string[]> | undefined,
    opts: SendOptions = {},
  ): Promise<TestResponse> {
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

  /** sessionToken is the MCIAS token in the session cookie, if any. */
  get sessionToken(): string | undefined {
    return this.cookies.get(sessionCookieName);
  }
}

/** textOf is a page's visible text, roughly: tags dropped, entities of quotes undone, whitespace collapsed. */
export function textOf(res: TestResponse): string {
  return res.body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** fieldOf reads the text inside the element with `id` (a textarea, a pre, a code), entities undone. */
export function fieldOf(res: TestResponse, id: string): string | undefined {
  const match = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(res.body);
  return match?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
