// A real WebAuthn client for the passkey tests: headless Chromium (Debian's, driven by
// playwright-core) with a CDP virtual authenticator per page. Each page sits on the test MCIAS's
// own origin (https://localhost:<port>), so navigator.credentials runs in a secure context whose
// host is the RP ID, and calls the REST API with fetch, as the web UI's script would.
import { chromiumLaunchOptions } from '@metacircular/mcdsl/testing';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

/** ApiResult is one fetch from inside the page. */
export interface ApiResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** VirtualCredential is a credential as CDP's WebAuthn.getCredentials reports it. */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/** PasskeyPage is one tab with its own authenticator. */
export interface PasskeyPage {
  readonly page: Page;
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
  /** api calls the REST API from the page (same origin) */
  api(method: string, path: string, opts?: { token?: string; body?: object }): Promise<ApiResult>;
  /** create runs navigator.credentials.create with creation options JSON; returns credential.toJSON() */
  create(options: unknown): Promise<Record<string, unknown>>;
  /** get runs navigator.credentials.get with request options JSON; returns credential.toJSON() */
  get(options: unknown): Promise<Record<string, unknown>>;
  credentials(): Promise<VirtualCredential[]>;
  /** setSignCount rewrites a stored credential's counter (remove + add with the same key) */
  setSignCount(credentialId: string, signCount: number): Promise<void>;
}

/** PasskeyBrowser is one Chromium trusting exactly the test server's certificate. */
export interface PasskeyBrowser {
  newPage(): Promise<PasskeyPage>;
  close(): Promise<void>;
}

export { spkiHash } from '@metacircular/mcdsl/testing';

// Runs in the page: the standard JSON (de)serialisation of WebAuthn (Chromium 129+), and fetch.
interface PageHelpers {
  create(options: unknown): Promise<Record<string, unknown>>;
  get(options: unknown): Promise<Record<string, unknown>>;
  api(method: string, path: string, token: string, body: string | null): Promise<ApiResult>;
}
const pageScript = `
globalThis.mcPasskey = {
  async create(options) {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
    const credential = await navigator.credentials.create({ publicKey });
    return credential.toJSON();
  },
  async get(options) {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
    const credential = await navigator.credentials.get({ publicKey });
    return credential.toJSON();
  },
  async api(method, path, token, body) {
    const headers = {};
    if (token) headers.authorization = 'Bearer ' + token;
    if (body !== null) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === null ? undefined : body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  },
};`;

type WithHelpers = { mcPasskey: PageHelpers };

/**
 * launchPasskeyBrowser starts Chromium trusting `certPem` (by its key only; every other
 * certificate is still verified) with localhost pinned to 127.0.0.1, where the server listens.
 */
export async function launchPasskeyBrowser(opts: {
  executablePath: string;
  certPem: string;
  origin: string;
}): Promise<PasskeyBrowser> {
  const launch = chromiumLaunchOptions(opts.executablePath, { trust: [opts.certPem] });
  const browser: Browser = await chromium.launch({
    ...launch,
    args: [...launch.args, '--host-resolver-rules=MAP localhost 127.0.0.1'],
  });
  const contexts: BrowserContext[] = [];
  return {
    async newPage() {
      // A context per page: separate storage, and one authenticator that is the only one it sees.
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      const response = await page.goto(`${opts.origin}/v1/health`);
      if (response?.status() !== 200) throw new Error(`cannot open ${opts.origin}/v1/health: ${response?.status()}`);
      await page.evaluate(pageScript);
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
        },
      });
      return {
        page,
        cdp,
        authenticatorId,
        api: (method, path, o = {}) =>
          page.evaluate(([m, p, t, b]) => (globalThis as unknown as WithHelpers).mcPasskey.api(m, p, t, b), [
            method,
            path,
            o.token ?? '',
            o.body ? JSON.stringify(o.body) : null,
          ] as const),
        create: (options) => page.evaluate((o) => (globalThis as unknown as WithHelpers).mcPasskey.create(o), options),
        get: (options) => page.evaluate((o) => (globalThis as unknown as WithHelpers).mcPasskey.get(o), options),
        async credentials() {
          const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
          return credentials;
        },
        async setSignCount(credentialId, signCount) {
          const { credential } = await cdp.send('WebAuthn.getCredential', { authenticatorId, credentialId });
          await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId });
          await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...credential, signCount } });
        },
      };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}
