import type { Logger } from 'pino';
import type { Caller } from '../access/index.js';
import { ForbiddenError, InvalidRequestError, McError, UnauthenticatedError, UnavailableError } from '../errors/index.js';
import { createJsonClient, type JsonClient } from '../httpclient/index.js';
import { ValidationCache } from './validation-cache.js';

/** MciasClientConfig mirrors the `[mcias]` section every service's config has. */
export interface MciasClientConfig {
  /** e.g. "https://mcias.svc.mcp.example.net:8443" */
  readonly serverUrl: string;
  /** PEM of the CA that signs MCIAS's certificate */
  readonly caCert?: string | Buffer;
  /** sent with every login so MCIAS's login policy can tell services apart */
  readonly serviceName: string;
  readonly tags?: readonly string[];
}

/** IssuedToken is what login and renew return. */
export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

interface ValidateReply {
  valid?: boolean;
  sub?: string;
  username?: string;
  roles?: string[];
  account_type?: string;
  expires_at?: string;
}

const invalidToken = () => new UnauthenticatedError('invalid or expired token', { code: 'ERR_INVALID_TOKEN' });

/**
 * Authenticator is the MCIAS client side every service uses: login (forwarding the service's
 * name and tags for the login policy), token validation with a 30 s cache keyed by the token's
 * SHA-256, renew and logout. It fails closed: when MCIAS cannot be reached a token is treated
 * as invalid (the cause is logged, never the token).
 */
export class Authenticator {
  readonly #config: MciasClientConfig;
  readonly #client: JsonClient;
  readonly #cache: ValidationCache<Caller | null>;
  readonly #logger: Logger | undefined;

  constructor(
    config: MciasClientConfig,
    options: { logger?: Logger; cacheTtlMs?: number; now?: () => number; client?: JsonClient } = {},
  ) {
    this.#config = config;
    this.#client =
      options.client ?? createJsonClient({ baseUrl: config.serverUrl, ...(config.caCert ? { ca: config.caCert } : {}) });
    this.#cache = new ValidationCache({ ttlMs: options.cacheTtlMs ?? 30_000, ...(options.now ? { now: options.now } : {}) });
    this.#logger = options.logger;
  }

  /** authenticate is validate bound for use as an access-table Authenticate function. */
  readonly authenticate = (token: string): Promise<Caller> => this.validate(token);

  /**
   * login asks MCIAS for a token. Bad credentials (or TOTP) throw UnauthenticatedError
   * (ERR_INVALID_CREDENTIALS); a login policy denial throws ForbiddenError (ERR_LOGIN_DENIED).
   */
  async login(username: string, password: string, totpCode?: string): Promise<IssuedToken> {
    if (!username || !password) throw new InvalidRequestError('username and password are required');
    const body = {
      username,
      password,
      ...(totpCode ? { totp_code: totpCode } : {}),
      service_name: this.#config.serviceName,
      tags: [...(this.#config.tags ?? [])],
    };
    const res = await this.#client.request<{ token?: string; expires_at?: string; error?: string }>('POST', '/v1/auth/login', {
      body,
    });
    if (res.status === 401) throw new UnauthenticatedError('invalid credentials', { code: 'ERR_INVALID_CREDENTIALS' });
    if (res.status === 403) throw new ForbiddenError('login denied by policy', { code: 'ERR_LOGIN_DENIED' });
    return issuedToken(res.status, res.body, 'login');
  }

  /** validate returns the caller a token belongs to, from the cache when MCIAS answered recently. */
  async validate(token: string): Promise<Caller> {
    if (!token) throw invalidToken();
    const cached = this.#cache.get(token);
    if (cached !== undefined) {
      if (cached === null) throw invalidToken();
      return cached;
    }
    let reply: ValidateReply | undefined;
    try {
      const res = await this.#client.request<ValidateReply>('POST', '/v1/token/validate', { token });
      if (res.status === 200) reply = res.body;
      else if (res.status !== 401) throw new UnavailableError(`token validation answered ${res.status}`);
    } catch (err) {
      // Fail closed, and do not cache: MCIAS may be back in a moment.
      this.#logger?.warn({ err: err instanceof McError ? err.message : String(err) }, 'mcias unreachable; token refused');
      throw invalidToken();
    }
    if (!reply?.valid || !reply.username) {
      this.#cache.set(token, null);
      throw invalidToken();
    }
    const roles = Array.isArray(reply.roles) ? reply.roles.filter((r): r is string => typeof r === 'string') : [];
    const caller: Caller = {
      username: reply.username,
      roles,
      accountType: reply.account_type ?? (roles.length === 0 ? 'system' : 'human'),
      isAdmin: roles.includes('admin'),
      isGuest: roles.includes('guest'),
      token,
    };
    const exp = reply.expires_at ? Date.parse(reply.expires_at) : NaN;
    this.#cache.set(token, caller, Number.isFinite(exp) ? exp : undefined);
    return caller;
  }

  /** renew trades a valid token for a fresh one; the old one stops validating at MCIAS. */
  async renew(token: string): Promise<IssuedToken> {
    const res = await this.#client.request<{ token?: string; expires_at?: string }>('POST', '/v1/auth/renew', { token });
    if (res.status === 401) throw invalidToken();
    this.#cache.delete(token);
    return issuedToken(res.status, res.body, 'renew');
  }

  /** logout revokes the token at MCIAS and forgets it here at once. */
  async logout(token: string): Promise<void> {
    this.#cache.delete(token);
    const res = await this.#client.request('POST', '/v1/auth/logout', { token });
    if (res.status === 401) throw invalidToken();
    if (res.status >= 300) throw new UnavailableError(`logout answered ${res.status}`);
  }

  /** close releases the connections to MCIAS. */
  close(): void {
    this.#client.close();
  }
}

function issuedToken(status: number, body: { token?: string; expires_at?: string } | undefined, what: string): IssuedToken {
  if (status !== 200 || !body?.token || !body.expires_at) {
    throw new UnavailableError(`${what}: unexpected answer from mcias (status ${status})`);
  }
  const expiresAt = new Date(body.expires_at);
  if (Number.isNaN(expiresAt.getTime())) throw new UnavailableError(`${what}: mcias sent a bad expires_at`);
  return { token: body.token, expiresAt };
}
