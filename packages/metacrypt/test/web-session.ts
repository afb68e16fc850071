// Metacrypt's side of the test browser (mcdsl's WebSession with Metacrypt's session cookie)
// and the helper that starts the web UI next to a test Metacrypt (until main.ts starts it).
import { join } from 'node:path';
import { createLogger, loadTLSFiles } from '@metacircular/mcdsl';
import { WebSession as BaseWebSession, type TestResponse } from '@metacircular/mcdsl/testing';
import type { TestMetacrypt } from '../src/testing.js';
import { sessionCookieName, startWebServer, type RunningWebServer } from '../src/web/index.js';

export { parseSetCookies } from '@metacircular/mcdsl/testing';

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

/** WebSession is mcdsl's test browser (cookies, CSRF, forms) with Metacrypt's session cookie. */
export class WebSession extends BaseWebSession {
  /** sessionToken is the MCIAS token in the session cookie, if any. */
  get sessionToken(): string | undefined {
    return this.cookies.get(sessionCookieName);
  }
}

/**
 * textOf is a page's visible text, roughly: tags dropped, entities of quotes undone, whitespace
 * collapsed (mcdsl's textOf keeps entities; Metacrypt's tests compare quoted user text).
 */
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
