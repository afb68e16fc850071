// The MCIAS client side, against a small HTTPS server that speaks MCIAS's REST contract
// (login, validate, renew, logout). MCIAS's own suite runs the same client against the real service.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Authenticator } from '../src/auth/index.js';
import { type McError } from '../src/errors/index.js';
import { createTestPKI, type TestPKI } from '../src/testing/index.js';

interface Account {
  password: string;
  roles: string[];
  type: string;
  denied?: boolean;
}

class ContractServer {
  readonly accounts: Record<string, Account> = {
    alice: { password: 'correct horse', roles: ['user'], type: 'human' },
    root: { password: 'root pw', roles: ['admin'], type: 'human' },
    mallory: { password: 'pw', roles: ['guest'], type: 'human', denied: true },
  };
  readonly tokens = new Map<string, string>();
  readonly revoked = new Set<string>();
  validateCalls = 0;
  lastLogin: Record<string, unknown> | undefined;
  #n = 0;
  server!: https.Server;

  handle(method: string, url: string, token: string | undefined, body: Record<string, unknown>): [number, unknown] {
    if (method === 'POST' && url === '/v1/auth/login') {
      this.lastLogin = body;
      const acct = this.accounts[String(body['username'])];
      if (!acct || acct.password !== body['password']) return [401, { error: 'invalid credentials' }];
      if (acct.denied) return [403, { error: 'login denied by policy' }];
      return [200, this.issue(String(body['username']))];
    }
    const user = token && !this.revoked.has(token) ? this.tokens.get(token) : undefined;
    if (method === 'POST' && url === '/v1/token/validate') {
      this.validateCalls++;
      if (!user) return [200, { valid: false }];
      const acct = this.accounts[user]!;
      return [
        200,
        {
          valid: true,
          sub: `uuid-${user}`,
          username: user,
          roles: acct.roles,
          account_type: acct.type,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        },
      ];
    }
    if (!user) return [401, { error: 'invalid or expired token' }];
    if (method === 'POST' && url === '/v1/auth/renew') {
      this.revoked.add(token!);
      return [200, this.issue(user)];
    }
    if (method === 'POST' && url === '/v1/auth/logout') {
      this.revoked.add(token!);
      return [204, undefined];
    }
    return [404, { error: 'not found' }];
  }

  issue(user: string) {
    const token = `tok-${user}-${++this.#n}`;
    this.tokens.set(token, user);
    return { token, expires_at: new Date(Date.now() + 3_600_000).toISOString() };
  }
}

describe('auth: Authenticator against the MCIAS REST contract', () => {
  let pki: TestPKI;
  const mcias = new ContractServer();
  let url: string;
  let clock = 1_000_000;
  const now = () => clock;

  before(async () => {
    pki = await createTestPKI();
    mcias.server = https.createServer({ cert: pki.cert, key: pki.key, minVersion: 'TLSv1.3' }, (req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const [status, body] = mcias.handle(
          req.method ?? '',
          req.url ?? '',
          token,
          raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
        );
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => mcias.server.listen(0, '127.0.0.1', r));
    url = `https://localhost:${(mcias.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    mcias.server.closeAllConnections();
    await new Promise((r) => mcias.server.close(r));
    await pki.cleanup();
  });
  beforeEach(() => {
    mcias.validateCalls = 0;
  });

  const newAuth = () =>
    new Authenticator({ serverUrl: url, caCert: pki.caCert, serviceName: 'mcr', tags: ['env:test'] }, { now });

  it('logs in, forwarding the service name and tags for the login policy', async () => {
    const auth = newAuth();
    const issued = await auth.login('alice', 'correct horse');
    assert.match(issued.token, /^tok-alice-/);
    assert.ok(issued.expiresAt.getTime() > Date.now());
    assert.deepEqual(mcias.lastLogin, { username: 'alice', password: 'correct horse', service_name: 'mcr', tags: ['env:test'] });
    auth.close();
  });

  it('tells bad credentials (401) from a policy denial (403)', async () => {
    const auth = newAuth();
    await assert.rejects(
      auth.login('alice', 'wrong'),
      (e: McError) => e.code === 'ERR_INVALID_CREDENTIALS' && e.category === 'unauthenticated',
    );
    await assert.rejects(
      auth.login('mallory', 'pw'),
      (e: McError) => e.code === 'ERR_LOGIN_DENIED' && e.category === 'forbidden',
    );
    auth.close();
  });

  it('validates a token into a caller and caches the answer for 30 s', async () => {
    const auth = newAuth();
    const { token } = await auth.login('root', 'root pw');
    const caller = await auth.validate(token);
    assert.deepEqual(
      {
        username: caller.username,
        roles: caller.roles,
        isAdmin: caller.isAdmin,
        isGuest: caller.isGuest,
        accountType: caller.accountType,
      },
      { username: 'root', roles: ['admin'], isAdmin: true, isGuest: false, accountType: 'human' },
    );
    await auth.validate(token);
    await auth.validate(token);
    assert.equal(mcias.validateCalls, 1, 'answers within the TTL come from the cache');
    auth.close();
  });

  it('honours a revocation once the 30 s cache entry expires', async () => {
    const auth = newAuth();
    const { token } = await auth.login('alice', 'correct horse');
    await auth.validate(token);
    mcias.revoked.add(token);
    clock += 29_999;
    assert.equal((await auth.validate(token)).username, 'alice', 'still cached just inside 30 s');
    clock += 1;
    await assert.rejects(auth.validate(token), (e: McError) => e.code === 'ERR_INVALID_TOKEN');
    auth.close();
  });

  it('refuses unknown tokens and caches the refusal', async () => {
    const auth = newAuth();
    await assert.rejects(auth.validate('tok-nobody-0'), (e: McError) => e.code === 'ERR_INVALID_TOKEN');
    await assert.rejects(auth.validate('tok-nobody-0'), (e: McError) => e.code === 'ERR_INVALID_TOKEN');
    assert.equal(mcias.validateCalls, 1);
    await assert.rejects(auth.validate(''), (e: McError) => e.code === 'ERR_INVALID_TOKEN');
    auth.close();
  });

  it('renew issues a new token and the old one stops validating', async () => {
    const auth = newAuth();
    const first = await auth.login('alice', 'correct horse');
    await auth.validate(first.token);
    const second = await auth.renew(first.token);
    assert.notEqual(second.token, first.token);
    assert.equal((await auth.validate(second.token)).username, 'alice');
    await assert.rejects(auth.validate(first.token), (e: McError) => e.code === 'ERR_INVALID_TOKEN');
    auth.close();
  });

  it('logout revokes the token and forgets the cached answer at once', async () => {
    const auth = newAuth();
    const { token } = await auth.login('alice', 'correct horse');
    await auth.validate(token);
    await auth.logout(token);
    await assert.rejects(auth.validate(token), (e: McError) => e.code === 'ERR_INVALID_TOKEN');
    auth.close();
  });

  it('fails closed when MCIAS cannot be reached, and does not cache that', async () => {
    const auth = new Authenticator({ serverUrl: 'https://127.0.0.1:1', caCert: pki.caCert, serviceName: 'mcr' }, { now });
    await assert.rejects(auth.validate('tok-alice-1'), (e: McError) => e.code === 'ERR_INVALID_TOKEN');
    await assert.rejects(auth.login('alice', 'correct horse'), (e: McError) => e.category === 'unavailable');
    auth.close();
  });

  it('refuses a server whose certificate is not signed by the configured CA', async () => {
    const other = await createTestPKI();
    const auth = new Authenticator({ serverUrl: url, caCert: other.caCert, serviceName: 'mcr' }, { now });
    await assert.rejects(auth.login('alice', 'correct horse'), (e: McError) => e.category === 'unavailable');
    auth.close();
    await other.cleanup();
  });
});
