import { createJsonClient, UnavailableError } from '@metacircular/mcdsl';
import type { JsonClient, JsonResponse } from '@metacircular/mcdsl';

/** MciasAccount is the part of MCIAS's Account message the bootstrap reads. */
export interface MciasAccount {
  readonly id: string;
  readonly username: string;
  readonly account_type: string;
  readonly status: string;
}

/** MciasTokenCheck is MCIAS's answer to `POST /v1/token/validate`. */
export interface MciasTokenCheck {
  readonly valid: boolean;
  readonly username?: string;
  readonly account_type?: string;
  /** RFC 3339 */
  readonly expires_at?: string;
}

/** loginServiceName is the service context `mc` logs in with: the launcher itself. */
export const loginServiceName = 'mc';

/**
 * MciasAPI is the handful of MCIAS REST calls `mc up` makes to bootstrap the platform, over
 * mcdsl's JSON client (TLS 1.3, trusting only the platform CA). `mc` talks to MCIAS through
 * its public API like any other client, never through its code or database. Calls other than
 * `login` throw on any non-2xx answer with MCIAS's error message, the step that failed and
 * the log to read; tokens and passwords are never part of a message.
 */
export class MciasAPI {
  readonly #client: JsonClient;
  readonly #logPath: string;

  constructor(options: { baseUrl: string; caPem: string | Buffer; logPath: string }) {
    this.#client = createJsonClient({ baseUrl: options.baseUrl, ca: options.caPem });
    this.#logPath = options.logPath;
  }

  /** login tries a password login and returns MCIAS's answer as is: a 401 is for the caller to judge. */
  login(username: string, password: string): Promise<JsonResponse<{ token?: string; error?: string }>> {
    return this.#client.request('POST', '/v1/auth/login', {
      body: { username, password, service_name: loginServiceName, tags: [] },
    });
  }

  /** logout revokes `token` (the admin's bootstrap session). */
  async logout(token: string): Promise<void> {
    await this.#expect('logging out', 'POST', '/v1/auth/logout', { token, body: {} });
  }

  /** listAccounts lists the accounts that are not deleted. */
  async listAccounts(token: string): Promise<readonly MciasAccount[]> {
    const body = await this.#expect<{ accounts?: MciasAccount[] }>('listing accounts', 'GET', '/v1/accounts', { token });
    return body.accounts ?? [];
  }

  /** createSystemAccount creates a system account (no password, no roles). */
  createSystemAccount(token: string, username: string): Promise<MciasAccount> {
    return this.#expect(`creating system account '${username}'`, 'POST', '/v1/accounts', {
      token,
      body: { username, account_type: 'system' },
    });
  }

  /** issueServiceToken issues a new token for a system account; earlier ones stay valid. */
  async issueServiceToken(token: string, account: MciasAccount): Promise<string> {
    const body = await this.#expect<{ token?: string }>(
      `issuing a token for system account '${account.username}'`,
      'POST',
      '/v1/token/issue',
      { token, body: { account_id: account.id } },
    );
    if (typeof body.token !== 'string' || body.token === '') {
      throw new UnavailableError(`MCIAS issued no token for '${account.username}'; see ${this.#logPath}`);
    }
    return body.token;
  }

  /** validateToken asks MCIAS whether `token` is valid and whose it is. */
  validateToken(token: string): Promise<MciasTokenCheck> {
    return this.#expect('validating a token', 'POST', '/v1/token/validate', { body: { token } });
  }

  /** close drops the keep-alive connections. */
  close(): void {
    this.#client.close();
  }

  /** failure is the error for an unexpected answer to `step`. */
  failure(step: string, response: JsonResponse<unknown>): UnavailableError {
    const message = (response.body as { error?: unknown } | undefined)?.error;
    const detail = typeof message === 'string' ? `: ${message}` : '';
    return new UnavailableError(`${step}: MCIAS answered HTTP ${response.status}${detail}; see ${this.#logPath}`);
  }

  async #expect<T>(step: string, method: string, path: string, options: { token?: string; body?: unknown }): Promise<T> {
    const response = await this.#client.request<T>(method, path, options);
    if (response.status < 200 || response.status > 299) throw this.failure(step, response);
    return response.body;
  }
}
