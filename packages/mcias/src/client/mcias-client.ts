import { createJsonClient, type JsonClient } from '@metacircular/mcdsl';
import { MciasAuthError, MciasInputError } from './mcias-errors.js';
import { MciasTransport } from './mcias-transport.js';
import { auditQuery, encodePolicyRule } from './request-encoders.js';
import { decodeResponse, decoders } from './response-decoders.js';
import type {
  Account,
  AccountStatus,
  AuditFilters,
  AuditPage,
  CreateAccountInput,
  IssuedToken,
  JWKS,
  PolicyRule,
  PolicyRuleInput,
  PublicKeyJWK,
  TOTPEnrollment,
  TokenInfo,
} from './mcias-types.js';

/** MciasClientOptions configures a MciasClient (spec 1.13: server URL, CA, token, service context). */
export interface MciasClientOptions {
  /** e.g. "https://mcias.svc.mcp.example.net:8443"; https only */
  readonly serverUrl: string;
  /** PEM of the CA that signs MCIAS's certificate; omitted means the system roots */
  readonly caCert?: string | Buffer;
  /** a token to act with; login replaces it */
  readonly token?: string;
  /** sent with every login so MCIAS's login policy can tell services apart */
  readonly serviceName?: string;
  readonly tags?: readonly string[];
  /** per-request deadline (default 10 s) */
  readonly timeoutMs?: number;
  /** an existing JSON client to use instead of one built from serverUrl, caCert and timeoutMs */
  readonly jsonClient?: JsonClient;
}

const seg = encodeURIComponent;

/**
 * MciasClient is the typed client of MCIAS's REST API, one method per operation (spec 1.13).
 * It acts with a token set by the constructor, login or renewToken and cleared by logout; the
 * token lives in MciasTransport's private field, never logged, never shown by util.inspect and
 * never put in an error message. Every reply is checked against its documented shape; every
 * failure is one of the typed errors in mcias-errors.ts (transport failures stay mcdsl
 * UnavailableErrors).
 */
export class MciasClient {
  readonly #t: MciasTransport;
  readonly #serviceName: string | undefined;
  readonly #tags: readonly string[] | undefined;

  constructor(options: MciasClientOptions) {
    const http =
      options.jsonClient ??
      createJsonClient({
        baseUrl: options.serverUrl,
        ...(options.caCert !== undefined ? { ca: options.caCert } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    this.#t = new MciasTransport(http, options.token);
    this.#serviceName = options.serviceName;
    this.#tags = options.tags;
  }

  /** hasToken reports whether the client holds a token to act with. */
  get hasToken(): boolean {
    return this.#t.token !== undefined;
  }

  /** setToken replaces (or, with undefined, forgets) the token the client acts with. */
  setToken(token: string | undefined): void {
    this.#t.setToken(token);
  }

  /** close drops the keep-alive connections to MCIAS. */
  close(): void {
    this.#t.close();
  }

  // ---- authentication -------------------------------------------------------------------

  /**
   * login exchanges a password (and TOTP code, once enrolled) for a token, which the client
   * keeps; the service context from the options goes along for the login policy. Bad
   * credentials are a MciasAuthError (401), a policy denial a MciasForbiddenError (403).
   */
  async login(username: string, password: string, totpCode?: string): Promise<IssuedToken> {
    required('login', 'username', username);
    required('login', 'password', password);
    const body = {
      username,
      password,
      ...(totpCode ? { totp_code: totpCode } : {}),
      ...(this.#serviceName ? { service_name: this.#serviceName } : {}),
      ...(this.#tags ? { tags: [...this.#tags] } : {}),
    };
    const issued = await this.#t.decode('login', decoders.issuedToken, {
      method: 'POST',
      path: '/v1/auth/login',
      body,
      auth: 'none',
    });
    this.#t.setToken(issued.token);
    return issued;
  }

  /** logout revokes the client's token at MCIAS and forgets it (also when MCIAS says it was already invalid). */
  async logout(): Promise<void> {
    try {
      await this.#t.empty('logout', { method: 'POST', path: '/v1/auth/logout', body: {}, auth: 'token' });
    } finally {
      this.#t.setToken(undefined);
    }
  }

  /** renewToken trades the client's token for a fresh one, which the client keeps; the old one stops validating. */
  async renewToken(): Promise<IssuedToken> {
    const issued = await this.#t.decode('renew token', decoders.issuedToken, {
      method: 'POST',
      path: '/v1/auth/renew',
      body: {},
      auth: 'token',
    });
    this.#t.setToken(issued.token);
    return issued;
  }

  /**
   * validateToken asks MCIAS whether a token (default: the client's own) is valid now. An
   * invalid, expired or revoked token is an answer, `{valid: false}`, not an error.
   */
  async validateToken(token?: string): Promise<TokenInfo> {
    const subject = token ?? this.#t.token;
    if (!subject) throw new MciasAuthError('validate token: no token: log in first or give one to validate');
    const res = await this.#t.request('POST', '/v1/token/validate', { body: { token: subject }, token: subject });
    if (res.status === 401) return { valid: false, sub: '', username: '', roles: [], accountType: '', jti: '' };
    if (res.status < 200 || res.status >= 300) throw this.#t.fail('validate token', res, subject);
    return decodeResponse(decoders.tokenInfo, res.body, 'validate token', res.status);
  }

  /** changePassword changes the password of the token's own (human) account. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    required('change password', 'new password', newPassword);
    await this.#t.empty('change password', {
      method: 'PUT',
      path: '/v1/auth/password',
      body: { current_password: currentPassword, new_password: newPassword },
      auth: 'token',
    });
  }

  /** enrollTOTP starts TOTP enrolment of the token's own account; the secret is shown once. */
  async enrollTOTP(password: string): Promise<TOTPEnrollment> {
    return await this.#t.decode('enroll totp', decoders.totpEnrollment, {
      method: 'POST',
      path: '/v1/auth/totp/enroll',
      body: { password },
      auth: 'token',
    });
  }

  /** confirmTOTP finishes enrolment with a current code; from then on login needs a code. */
  async confirmTOTP(code: string): Promise<void> {
    required('confirm totp', 'code', code);
    await this.#t.empty('confirm totp', { method: 'POST', path: '/v1/auth/totp/confirm', body: { code }, auth: 'token' });
  }

  /** removeTOTP (admin) removes an account's TOTP, e.g. after a lost phone. */
  async removeTOTP(accountId: string): Promise<void> {
    required('remove totp', 'account id', accountId);
    await this.#t.empty('remove totp', { method: 'DELETE', path: `/v1/accounts/${seg(accountId)}/totp`, auth: 'token' });
  }

  // ---- tokens -----------------------------------------------------------------------------

  /** issueServiceToken (admin or delegate) issues a token for a system account; the client does not keep it. */
  async issueServiceToken(accountId: string): Promise<IssuedToken> {
    required('issue service token', 'account id', accountId);
    return await this.#t.decode('issue service token', decoders.issuedToken, {
      method: 'POST',
      path: '/v1/token/issue',
      body: { account_id: accountId },
      auth: 'token',
    });
  }

  /** revokeToken (admin) revokes a token by its jti. */
  async revokeToken(jti: string): Promise<void> {
    required('revoke token', 'jti', jti);
    await this.#t.empty('revoke token', { method: 'DELETE', path: `/v1/token/${seg(jti)}`, auth: 'token' });
  }

  // ---- server, keys, vault ----------------------------------------------------------------

  /** health returns "ok" or "sealed" (also when said with a 503); any other 5xx is a MciasServerError. */
  async health(): Promise<{ status: 'ok' | 'sealed' }> {
    const res = await this.#t.request('GET', '/v1/health');
    const decoded = decoders.health.safeParse(res.body);
    if (res.status === 503 && decoded.success && decoded.data.status === 'sealed') return decoded.data;
    if (res.status < 200 || res.status >= 300) throw this.#t.fail('health', res);
    return decodeResponse(decoders.health, res.body, 'health', res.status);
  }

  /** getPublicKey returns the token-signing key as a JWK, for offline validation. */
  async getPublicKey(): Promise<PublicKeyJWK> {
    return await this.#t.decode('get public key', decoders.publicKey, { method: 'GET', path: '/v1/keys/public', auth: 'none' });
  }

  /** getJWKS returns the key set published at /.well-known/jwks.json. */
  async getJWKS(): Promise<JWKS> {
    return await this.#t.decode('get jwks', decoders.jwks, { method: 'GET', path: '/.well-known/jwks.json', auth: 'none' });
  }

  /** vaultStatus reports whether MCIAS is sealed. */
  async vaultStatus(): Promise<{ sealed: boolean }> {
    return await this.#t.decode('vault status', decoders.vaultState, { method: 'GET', path: '/v1/vault/status', auth: 'none' });
  }

  /** unseal derives the master key from the passphrase and unseals MCIAS (rate-limited). */
  async unseal(passphrase: string): Promise<{ sealed: boolean }> {
    required('unseal', 'passphrase', passphrase);
    return await this.#t.decode('unseal', decoders.vaultState, {
      method: 'POST',
      path: '/v1/vault/unseal',
      body: { passphrase },
      auth: 'none',
    });
  }

  /** seal (admin) forgets the master key; MCIAS answers 503 until unsealed again. */
  async seal(): Promise<{ sealed: boolean }> {
    return await this.#t.decode('seal', decoders.vaultState, { method: 'POST', path: '/v1/vault/seal', body: {}, auth: 'token' });
  }

  // ---- accounts, roles, tags ----------------------------------------------------------------

  /** createAccount (admin) creates a human (with a password) or system (without) account. */
  async createAccount(input: CreateAccountInput): Promise<Account> {
    required('create account', 'username', input.username);
    const body = {
      username: input.username,
      account_type: input.accountType,
      ...(input.password !== undefined ? { password: input.password } : {}),
      ...(input.roles ? { roles: [...input.roles] } : {}),
      ...(input.tags ? { tags: [...input.tags] } : {}),
    };
    return await this.#t.decode('create account', decoders.account, {
      method: 'POST',
      path: '/v1/accounts',
      body,
      auth: 'token',
    });
  }

  /** listAccounts (admin) lists accounts; soft-deleted ones only with includeDeleted. */
  async listAccounts(options: { includeDeleted?: boolean } = {}): Promise<readonly Account[]> {
    const query = options.includeDeleted ? '?include_deleted=true' : '';
    return await this.#t.decode('list accounts', decoders.accountList, {
      method: 'GET',
      path: `/v1/accounts${query}`,
      auth: 'token',
    });
  }

  /** getAccount (admin) returns one account by id. */
  async getAccount(id: string): Promise<Account> {
    required('get account', 'account id', id);
    return await this.#t.decode('get account', decoders.account, {
      method: 'GET',
      path: `/v1/accounts/${seg(id)}`,
      auth: 'token',
    });
  }

  /** updateAccount (admin) sets an account's status ("active" or "inactive"). */
  async updateAccount(id: string, update: { status: Exclude<AccountStatus, 'deleted'> }): Promise<Account> {
    required('update account', 'account id', id);
    return await this.#t.decode('update account', decoders.account, {
      method: 'PATCH',
      path: `/v1/accounts/${seg(id)}`,
      body: { status: update.status },
      auth: 'token',
    });
  }

  /** deleteAccount (admin) soft-deletes an account and revokes its tokens. */
  async deleteAccount(id: string): Promise<void> {
    required('delete account', 'account id', id);
    await this.#t.empty('delete account', { method: 'DELETE', path: `/v1/accounts/${seg(id)}`, auth: 'token' });
  }

  /** getRoles (admin) returns an account's roles. */
  async getRoles(id: string): Promise<readonly string[]> {
    required('get roles', 'account id', id);
    return await this.#t.decode('get roles', decoders.roles, {
      method: 'GET',
      path: `/v1/accounts/${seg(id)}/roles`,
      auth: 'token',
    });
  }

  /** setRoles (admin) replaces an account's roles and returns the new list. */
  async setRoles(id: string, roles: readonly string[]): Promise<readonly string[]> {
    required('set roles', 'account id', id);
    return await this.#t.decode('set roles', decoders.roles, {
      method: 'PUT',
      path: `/v1/accounts/${seg(id)}/roles`,
      body: { roles: [...roles] },
      auth: 'token',
    });
  }

  /** grantRole (admin) adds one role (a no-op when present). */
  async grantRole(id: string, role: string): Promise<void> {
    required('grant role', 'account id', id);
    required('grant role', 'role', role);
    await this.#t.empty('grant role', { method: 'POST', path: `/v1/accounts/${seg(id)}/roles`, body: { role }, auth: 'token' });
  }

  /** revokeRole (admin) removes one role. */
  async revokeRole(id: string, role: string): Promise<void> {
    required('revoke role', 'account id', id);
    required('revoke role', 'role', role);
    await this.#t.empty('revoke role', { method: 'DELETE', path: `/v1/accounts/${seg(id)}/roles/${seg(role)}`, auth: 'token' });
  }

  /** resetPassword (admin) sets a new password for a human account. */
  async resetPassword(id: string, newPassword: string): Promise<void> {
    required('reset password', 'account id', id);
    required('reset password', 'new password', newPassword);
    await this.#t.empty('reset password', {
      method: 'PUT',
      path: `/v1/accounts/${seg(id)}/password`,
      body: { new_password: newPassword },
      auth: 'token',
    });
  }

  /** getTags (admin) returns an account's tags. */
  async getTags(id: string): Promise<readonly string[]> {
    required('get tags', 'account id', id);
    return await this.#t.decode('get tags', decoders.tags, {
      method: 'GET',
      path: `/v1/accounts/${seg(id)}/tags`,
      auth: 'token',
    });
  }

  /** setTags (admin) replaces an account's tags and returns the new list. */
  async setTags(id: string, tags: readonly string[]): Promise<readonly string[]> {
    required('set tags', 'account id', id);
    return await this.#t.decode('set tags', decoders.tags, {
      method: 'PUT',
      path: `/v1/accounts/${seg(id)}/tags`,
      body: { tags: [...tags] },
      auth: 'token',
    });
  }

  // ---- policy and audit -------------------------------------------------------------------

  /** listPolicyRules returns the built-in (negative ids) and operator rules. */
  async listPolicyRules(): Promise<readonly PolicyRule[]> {
    return await this.#t.decode('list policy rules', decoders.policyRuleList, {
      method: 'GET',
      path: '/v1/policy/rules',
      auth: 'token',
    });
  }

  /** createPolicyRule adds an operator rule and returns it with its id. */
  async createPolicyRule(rule: PolicyRuleInput): Promise<PolicyRule> {
    return await this.#t.decode('create policy rule', decoders.policyRule, {
      method: 'POST',
      path: '/v1/policy/rules',
      body: encodePolicyRule(rule),
      auth: 'token',
    });
  }

  /** getPolicyRule returns one rule by id. */
  async getPolicyRule(id: number): Promise<PolicyRule> {
    return await this.#t.decode('get policy rule', decoders.policyRule, {
      method: 'GET',
      path: `/v1/policy/rules/${ruleId(id)}`,
      auth: 'token',
    });
  }

  /** updatePolicyRule replaces an operator rule with `rule` (the whole rule, not a patch). */
  async updatePolicyRule(id: number, rule: PolicyRuleInput): Promise<PolicyRule> {
    return await this.#t.decode('update policy rule', decoders.policyRule, {
      method: 'PATCH',
      path: `/v1/policy/rules/${ruleId(id)}`,
      body: encodePolicyRule(rule),
      auth: 'token',
    });
  }

  /** deletePolicyRule removes an operator rule. */
  async deletePolicyRule(id: number): Promise<void> {
    await this.#t.empty('delete policy rule', { method: 'DELETE', path: `/v1/policy/rules/${ruleId(id)}`, auth: 'token' });
  }

  /** listAuditEvents (admin) returns one page of audit events, newest first. */
  async listAuditEvents(filters: AuditFilters = {}): Promise<AuditPage> {
    return await this.#t.decode('list audit events', decoders.auditPage, {
      method: 'GET',
      path: `/v1/audit${auditQuery(filters)}`,
      auth: 'token',
    });
  }
}

function required(operation: string, name: string, value: string): void {
  if (typeof value !== 'string' || value === '') throw new MciasInputError(`${operation}: ${name} is required`);
}

function ruleId(id: number): string {
  if (!Number.isSafeInteger(id)) throw new MciasInputError(`policy rule id must be an integer, got ${String(id)}`);
  return String(id);
}
