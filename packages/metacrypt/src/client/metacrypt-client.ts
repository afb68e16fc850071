import { createJsonClient, UnauthenticatedError, UnavailableError, type JsonClient } from '@metacircular/mcdsl';
import { errorFromResponse } from './metacrypt-errors.js';

/** MetacryptClientOptions configures a MetacryptClient. */
export interface MetacryptClientOptions {
  /** e.g. "https://metacrypt.svc.mcp.example.net:8443"; https only */
  readonly serverUrl: string;
  /** PEM of the CA that signs Metacrypt's TLS certificate; omitted means the system roots */
  readonly caCert?: string | Buffer;
  /** the MCIAS token to act with (a system account's long-lived token for services) */
  readonly token?: string;
  /** per-request deadline (default 10 s) */
  readonly timeoutMs?: number;
}

/** MetacryptStatus is GET /v1/status. */
export interface MetacryptStatus {
  readonly state: 'uninitialized' | 'sealed' | 'unsealed';
  readonly version: string;
}

/** IssueRequest is what POST /v1/pki/{mount}/issue takes (spec §6.3); Metacrypt generates the key. */
export interface IssueRequest {
  readonly issuer: string;
  readonly commonName?: string;
  readonly sans?: readonly string[];
  readonly ipSans?: readonly string[];
  /** 'server' (default), 'client' or 'peer' */
  readonly profile?: string;
  /** e.g. "2160h"; default and cap come from the mount and issuer */
  readonly ttl?: string;
  /** 'ecdsa-p256' (default), 'ecdsa-p384' or 'ed25519' */
  readonly keyType?: string;
}

/** SignRequest is what POST /v1/pki/{mount}/sign takes: the caller keeps its key. */
export interface SignRequest {
  readonly issuer: string;
  readonly csrPem: string;
  readonly profile?: string;
  readonly ttl?: string;
}

/** IssuedCertificate is a leaf with its chain; keyPem only when Metacrypt generated the key. */
export interface IssuedCertificate {
  readonly serial: string;
  readonly certPem: string;
  /** issuer then root, PEM */
  readonly chainPem: string;
  readonly keyPem?: string;
  readonly notAfter: Date;
}

/** EabCredentials are one-time ACME External Account Binding credentials (24 h). */
export interface EabCredentials {
  readonly kid: string;
  /** base64url; pass as-is to certbot --eab-hmac-key, lego --hmac or obtainCertificate */
  readonly hmacKey: string;
  readonly issuer: string;
  readonly expiresAt: Date;
}

const seg = encodeURIComponent;

/**
 * MetacryptClient is the typed REST client of Metacrypt's main operations: status, certificate
 * issuance and CSR signing, transit encrypt/decrypt and ACME EAB credentials. The token lives in
 * a private field and is never put in an error message. Failures are mcdsl errors of the answer's
 * category (errorFromResponse); transport failures are UnavailableErrors.
 */
export class MetacryptClient {
  readonly #http: JsonClient;
  readonly #serverUrl: string;
  #token: string | undefined;

  constructor(options: MetacryptClientOptions) {
    this.#serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.#http = createJsonClient({
      baseUrl: this.#serverUrl,
      ...(options.caCert !== undefined ? { ca: options.caCert } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    this.#token = options.token === '' ? undefined : options.token;
  }

  /** setToken replaces (or, with undefined, forgets) the token the client acts with. */
  setToken(token: string | undefined): void {
    this.#token = token === '' ? undefined : token;
  }

  /** close drops the keep-alive connections. */
  close(): void {
    this.#http.close();
  }

  /** acmeDirectoryUrl is the ACME directory of a CA mount on this server. */
  acmeDirectoryUrl(mount: string): string {
    return `${this.#serverUrl}/acme/${seg(mount)}/directory`;
  }

  /** login forwards credentials to MCIAS through Metacrypt and keeps the token it returns. */
  async login(username: string, password: string, totpCode?: string): Promise<{ token: string; expiresAt: Date }> {
    const body = await this.#call(
      'login',
      'POST',
      '/v1/auth/login',
      { username, password, ...(totpCode ? { totp_code: totpCode } : {}) },
      false,
      [password],
    );
    const token = str(body, 'token', 'login');
    this.#token = token;
    return { token, expiresAt: date(body, 'expires_at', 'login') };
  }

  /** status is the seal state and version (no token needed). */
  async status(): Promise<MetacryptStatus> {
    const body = await this.#call('status', 'GET', '/v1/status', undefined, false);
    const state = str(body, 'state', 'status');
    if (state !== 'uninitialized' && state !== 'sealed' && state !== 'unsealed') throw unexpected('status', 'state');
    return { state, version: str(body, 'version', 'status') };
  }

  /** issue has Metacrypt generate a key and certificate (policy `issue` on the issuer). */
  async issue(mount: string, req: IssueRequest): Promise<IssuedCertificate> {
    const body = await this.#call('issue', 'POST', `/v1/pki/${seg(mount)}/issue`, {
      issuer: req.issuer,
      common_name: req.commonName ?? '',
      sans: req.sans ?? [],
      ip_sans: req.ipSans ?? [],
      profile: req.profile ?? '',
      ttl: req.ttl ?? '',
      key_type: req.keyType ?? '',
    });
    return issued(body, 'issue');
  }

  /** sign has Metacrypt sign a CSR (policy `sign-csr` on the issuer). */
  async sign(mount: string, req: SignRequest): Promise<IssuedCertificate> {
    const body = await this.#call('sign', 'POST', `/v1/pki/${seg(mount)}/sign`, {
      issuer: req.issuer,
      csr_pem: req.csrPem,
      profile: req.profile ?? '',
      ttl: req.ttl ?? '',
    });
    return issued(body, 'sign');
  }

  /** encrypt seals `plaintext` with a transit key and returns `metacrypt:v<N>:...`. */
  async encrypt(
    mount: string,
    key: string,
    plaintext: Uint8Array | string,
    opts: { context?: Uint8Array } = {},
  ): Promise<string> {
    const body = await this.#call('encrypt', 'POST', `/v1/transit/${seg(mount)}/encrypt/${seg(key)}`, {
      plaintext: Buffer.from(plaintext).toString('base64'),
      ...(opts.context ? { context: Buffer.from(opts.context).toString('base64') } : {}),
    });
    return str(body, 'ciphertext', 'encrypt');
  }

  /** decrypt opens a transit ciphertext. */
  async decrypt(mount: string, key: string, ciphertext: string, opts: { context?: Uint8Array } = {}): Promise<Buffer> {
    const body = await this.#call('decrypt', 'POST', `/v1/transit/${seg(mount)}/decrypt/${seg(key)}`, {
      ciphertext,
      ...(opts.context ? { context: Buffer.from(opts.context).toString('base64') } : {}),
    });
    const text = (body as { plaintext?: unknown }).plaintext ?? '';
    if (typeof text !== 'string') throw unexpected('decrypt', 'plaintext');
    return Buffer.from(text, 'base64');
  }

  /** createEab gets one-time ACME EAB credentials (policy `acme` on ca/{mount}/acme). */
  async createEab(mount: string, issuer?: string): Promise<EabCredentials> {
    const body = await this.#call('create eab', 'POST', `/v1/acme/${seg(mount)}/eab`, issuer ? { issuer } : {});
    return {
      kid: str(body, 'kid', 'create eab'),
      hmacKey: str(body, 'hmac_key', 'create eab'),
      issuer: str(body, 'issuer', 'create eab'),
      expiresAt: date(body, 'expires_at', 'create eab'),
    };
  }

  async #call(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
    auth = true,
    secrets: string[] = [],
  ): Promise<unknown> {
    const token = this.#token;
    if (auth && !token) throw new UnauthenticatedError(`${operation}: no token: log in first or give the client a token`);
    const res = await this.#http.request(method, path, {
      ...(body !== undefined ? { body } : {}),
      ...(auth && token ? { token } : {}),
    });
    if (res.status < 200 || res.status >= 300)
      throw errorFromResponse(operation, res.status, res.body, [token ?? '', ...secrets]);
    if (typeof res.body !== 'object' || res.body === null) throw unexpected(operation, 'body');
    return res.body;
  }
}

function unexpected(operation: string, field: string): UnavailableError {
  return new UnavailableError(`${operation}: unexpected reply from metacrypt: bad or missing "${field}"`);
}

function str(body: unknown, field: string, operation: string): string {
  const v = (body as Record<string, unknown>)[field];
  if (typeof v !== 'string') throw unexpected(operation, field);
  return v;
}

function date(body: unknown, field: string, operation: string): Date {
  const d = new Date(str(body, field, operation));
  if (Number.isNaN(d.getTime())) throw unexpected(operation, field);
  return d;
}

function issued(body: unknown, operation: string): IssuedCertificate {
  const keyPem = (body as { key_pem?: unknown }).key_pem;
  return {
    serial: str(body, 'serial', operation),
    certPem: str(body, 'cert_pem', operation),
    chainPem: str(body, 'chain_pem', operation),
    ...(typeof keyPem === 'string' && keyPem !== '' ? { keyPem } : {}),
    notAfter: date(body, 'not_after', operation),
  };
}
