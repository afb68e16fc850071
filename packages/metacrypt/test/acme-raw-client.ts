// A deliberately low-level ACME client for the protocol tests: it signs exactly what the test
// says (any key, alg, nonce, url, kid/jwk, payload, content type), so hostile and malformed
// requests can be sent on purpose. Real clients (certbot, lego, acme-client) cover the happy paths.
import https from 'node:https';
import { createHmac } from 'node:crypto';
import { exportJWK, FlattenedSign, generateKeyPair, type JWK, type CryptoKey } from 'jose';

/** AcmeKey is an account (or certificate) key pair with its public JWK and JWS algorithm. */
export interface AcmeKey {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

/** newKey makes a key pair for `alg` (ES256 by default). */
export async function newKey(alg = 'ES256', opts: { modulusLength?: number } = {}): Promise<AcmeKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...opts });
  return { alg, privateKey, jwk: await exportJWK(publicKey) };
}

/** RawResponse is one HTTP answer. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** the body parsed as JSON (undefined when it is not JSON) */
  readonly json: Record<string, unknown> | undefined;
}

/** SignOptions shape one signed request; defaults make a well-formed one. */
export interface SignOptions {
  /** sign with `kid` (account URL) instead of the key's jwk */
  readonly kid?: string;
  readonly nonce?: string | null;
  readonly url?: string;
  readonly alg?: string;
  readonly contentType?: string;
  /** flip a bit of the signature */
  readonly tamper?: boolean;
  /** extra protected header members */
  readonly header?: Record<string, unknown>;
}

/** RawAcme talks to one ACME directory over TLS trusting `ca`. */
export class RawAcme {
  readonly directoryUrl: string;
  readonly #agent: https.Agent;
  #dir: Record<string, string> | undefined;

  constructor(directoryUrl: string, ca: string) {
    this.directoryUrl = directoryUrl;
    this.#agent = new https.Agent({ ca, keepAlive: false });
  }

  /** request sends one raw HTTP request. */
  request(method: string, url: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, agent: this.#agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** directory fetches (once) the directory. */
  async directory(): Promise<Record<string, string>> {
    if (!this.#dir) {
      const res = await this.request('GET', this.directoryUrl);
      if (res.status !== 200 || !res.json) throw new Error(`directory: ${res.status} ${res.text}`);
      this.#dir = res.json as Record<string, string>;
    }
    return this.#dir;
  }

  /** nonce gets a fresh nonce with HEAD new-nonce. */
  async nonce(): Promise<string> {
    const res = await this.request('HEAD', (await this.directory()).newNonce ?? '');
    const nonce = res.headers['replay-nonce'];
    if (typeof nonce !== 'string') throw new Error('no replay-nonce');
    return nonce;
  }

  /** jws builds a flattened JWS of `payload` ('' for POST-as-GET). */
  async jws(key: AcmeKey, url: string, payload: unknown, opts: SignOptions = {}): Promise<Record<string, string>> {
    const nonce = opts.nonce === undefined ? await this.nonce() : opts.nonce;
    const header: Record<string, unknown> = {
      alg: opts.alg ?? key.alg,
      url: opts.url ?? url,
      ...(nonce !== null ? { nonce } : {}),
      ...(opts.kid !== undefined ? { kid: opts.kid } : { jwk: key.jwk }),
      ...opts.header,
    };
    const bytes = payload === '' ? new Uint8Array() : Buffer.from(JSON.stringify(payload));
    const jws = await new FlattenedSign(bytes).setProtectedHeader(header).sign(key.privateKey);
    if (opts.tamper) {
      const sig = Buffer.from(jws.signature, 'base64url');
      sig[0] = (sig[0] ?? 0) ^ 1;
      jws.signature = sig.toString('base64url');
    }
    return { protected: jws.protected ?? '', payload: jws.payload, signature: jws.signature };
  }

  /** post signs and sends one ACME POST. */
  async post(key: AcmeKey, url: string, payload: unknown, opts: SignOptions = {}): Promise<RawResponse> {
    const body = JSON.stringify(await this.jws(key, url, payload, opts));
    return this.request('POST', url, body, { 'content-type': opts.contentType ?? 'application/jose+json' });
  }
}

/** eabBinding is the externalAccountBinding member of a new-account payload (RFC 8555 §7.3.4). */
export function eabBinding(kid: string, hmacKey: string, jwk: JWK, url: string): Record<string, string> {
  const protectedB64 = Buffer.from(JSON.stringify({ alg: 'HS256', kid, url })).toString('base64url');
  const payloadB64 = Buffer.from(JSON.stringify(jwk)).toString('base64url');
  const signature = createHmac('sha256', Buffer.from(hmacKey, 'base64url'))
    .update(`${protectedB64}.${payloadB64}`)
    .digest('base64url');
  return { protected: protectedB64, payload: payloadB64, signature };
}
