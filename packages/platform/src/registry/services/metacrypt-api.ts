import { createJsonClient, UnavailableError } from '@metacircular/mcdsl';
import type { JsonClient, JsonResponse } from '@metacircular/mcdsl';

/** MetacryptMount is a mount as Metacrypt lists it (`GET /v1/mounts`). */
export interface MetacryptMount {
  readonly name: string;
  readonly type: string;
  readonly config?: Readonly<Record<string, unknown>>;
}

/** MetacryptCACert is the part of a CA root or issuer the bootstrap reads. */
export interface MetacryptCACert {
  readonly name?: string;
  readonly cert_pem: string;
}

/** MetacryptPolicyRule is a policy rule in Metacrypt's JSON (packages/metacrypt/POLICY.md). */
export interface MetacryptPolicyRule {
  readonly id?: string;
  readonly name: string;
  readonly priority: number;
  readonly effect: 'allow' | 'deny';
  readonly usernames: readonly string[];
  readonly roles: readonly string[];
  readonly account_types: readonly string[];
  readonly resources: readonly string[];
  readonly actions: readonly string[];
  readonly conditions?: {
    readonly allowed_sans: readonly string[];
    readonly denied_sans: readonly string[];
    readonly max_ttl: string;
    readonly allow_wildcard_sans: boolean;
  };
}

/** MetacryptIssueRequest is the body of `POST /v1/pki/{mount}/issue`. */
export interface MetacryptIssueRequest {
  readonly issuer: string;
  readonly common_name: string;
  readonly sans: readonly string[];
  readonly ip_sans: readonly string[];
  readonly profile: 'server' | 'client' | 'peer';
  readonly ttl: string;
}

/** MetacryptIssuedCert is an issued leaf: the key is returned once and never stored by Metacrypt. */
export interface MetacryptIssuedCert {
  readonly serial: string;
  readonly cert_pem: string;
  /** issuer then root, PEM */
  readonly chain_pem: string;
  readonly key_pem: string;
}

// Init and unseal derive the key with Argon2id (64 MiB by default): slower than a plain call.
const requestTimeoutMs = 30_000;

/**
 * MetacryptAPI is the handful of Metacrypt REST calls `mc up` makes (seal state, mounts, the
 * CA root and issuers, policy rules, issuing service leaves), over mcdsl's JSON client (TLS 1.3,
 * trusting only the platform CA). Like MciasAPI it speaks the public API only. Every call throws
 * on an unexpected answer with the step, Metacrypt's message and the log to read; passwords,
 * tokens and keys never appear in a message.
 */
export class MetacryptAPI {
  readonly #client: JsonClient;
  readonly #logPath: string;

  constructor(options: { baseUrl: string; caPem: string | Buffer; logPath: string }) {
    this.#client = createJsonClient({ baseUrl: options.baseUrl, ca: options.caPem, timeoutMs: requestTimeoutMs });
    this.#logPath = options.logPath;
  }

  /** state is the seal state: "uninitialized", "sealed" or "unsealed". */
  async state(): Promise<string> {
    return (await this.#expect<{ state: string }>('reading the seal state', 'GET', '/v1/status', {})).state;
  }

  /** init initializes Metacrypt with the unseal password (allowed from loopback); it is left unsealed. */
  async init(password: string): Promise<string> {
    return (await this.#expect<{ state: string }>('initializing', 'POST', '/v1/init', { body: { password } })).state;
  }

  /**
   * unseal tries to open the barrier with the unseal password and returns Metacrypt's answer as
   * is: a 401 (wrong password) or 429 (too many wrong ones) is for the caller to explain.
   */
  unseal(password: string): Promise<JsonResponse<{ state?: string; error?: string }>> {
    return this.#client.request('POST', '/v1/unseal', { body: { password } });
  }

  /** listMounts lists every mount. */
  async listMounts(token: string): Promise<readonly MetacryptMount[]> {
    return (await this.#expect<{ mounts?: MetacryptMount[] }>('listing mounts', 'GET', '/v1/mounts', { token })).mounts ?? [];
  }

  /** createMount creates a mount of an engine type with its config. */
  async createMount(token: string, mount: MetacryptMount): Promise<void> {
    await this.#expect(`creating mount '${mount.name}' (${mount.type})`, 'POST', '/v1/mounts', { token, body: mount });
  }

  /** root is a CA mount's root certificate, undefined while the mount has none. */
  async root(mount: string): Promise<MetacryptCACert | undefined> {
    return this.#optional(`reading the root of mount '${mount}'`, `/v1/pki/${mount}/root`);
  }

  /** importRoot imports a root CA with its key; the mount's default issuers are created with it. */
  async importRoot(token: string, mount: string, certPem: string, keyPem: string): Promise<void> {
    await this.#expect(`importing the root into mount '${mount}'`, 'POST', `/v1/pki/${mount}/root/import`, {
      token,
      body: { cert_pem: certPem, key_pem: keyPem },
    });
  }

  /** issuer is one issuer's certificate, undefined when there is no such issuer (or no root). */
  async issuer(mount: string, name: string): Promise<MetacryptCACert | undefined> {
    return this.#optional(`reading issuer '${name}' of mount '${mount}'`, `/v1/pki/${mount}/issuers/${name}`);
  }

  /** listIssuers lists the names of a CA mount's issuers. */
  async listIssuers(token: string, mount: string): Promise<readonly string[]> {
    const body = await this.#expect<{ issuers?: MetacryptCACert[] }>(
      `listing the issuers of mount '${mount}'`,
      'GET',
      `/v1/pki/${mount}/issuers`,
      { token },
    );
    return (body.issuers ?? []).flatMap((issuer) => (issuer.name === undefined ? [] : [issuer.name]));
  }

  /** createIssuer creates an issuer signed by the mount's root, with Metacrypt's defaults. */
  async createIssuer(token: string, mount: string, name: string): Promise<void> {
    await this.#expect(`creating issuer '${name}' in mount '${mount}'`, 'POST', `/v1/pki/${mount}/issuers`, {
      token,
      body: { name },
    });
  }

  /** listRules lists the policy rules. */
  async listRules(token: string): Promise<readonly MetacryptPolicyRule[]> {
    return (
      (await this.#expect<{ rules?: MetacryptPolicyRule[] }>('listing policy rules', 'GET', '/v1/policy/rules', { token }))
        .rules ?? []
    );
  }

  /** createRule adds a policy rule. */
  async createRule(token: string, rule: MetacryptPolicyRule): Promise<void> {
    await this.#expect(`creating policy rule '${rule.name}'`, 'POST', '/v1/policy/rules', { token, body: rule });
  }

  /** updateRule replaces the policy rule `id` with `rule`. */
  async updateRule(token: string, id: string, rule: MetacryptPolicyRule): Promise<void> {
    await this.#expect(`updating policy rule '${rule.name}'`, 'PUT', `/v1/policy/rules/${id}`, { token, body: rule });
  }

  /** issue has a CA mount's issuer certify a new key pair, which Metacrypt returns once. */
  issue(token: string, mount: string, request: MetacryptIssueRequest): Promise<MetacryptIssuedCert> {
    return this.#expect(`issuing a certificate for ${request.common_name}`, 'POST', `/v1/pki/${mount}/issue`, {
      token,
      body: request,
    });
  }

  /** close drops the keep-alive connections. */
  close(): void {
    this.#client.close();
  }

  /** failure is the error for an unexpected answer to `step`. */
  failure(step: string, response: JsonResponse<unknown>): UnavailableError {
    const message = (response.body as { error?: unknown } | undefined)?.error;
    const detail = typeof message === 'string' ? `: ${message}` : '';
    return new UnavailableError(`${step}: Metacrypt answered HTTP ${response.status}${detail}; see ${this.#logPath}`);
  }

  async #optional<T>(step: string, path: string): Promise<T | undefined> {
    const response = await this.#client.request<T>('GET', path);
    if (response.status === 404) return undefined;
    if (response.status < 200 || response.status > 299) throw this.failure(step, response);
    return response.body;
  }

  async #expect<T>(step: string, method: string, path: string, options: { token?: string; body?: unknown }): Promise<T> {
    const response = await this.#client.request<T>(method, path, options);
    if (response.status < 200 || response.status > 299) throw this.failure(step, response);
    return response.body;
  }
}
