// Tokens end to end against a real MCIAS: what a relying party can verify on its own (JWKS,
// raw public key), what validation refuses (forged algorithms, tampering, revocation, expiry,
// inactive accounts), lifetimes, renewal and logout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calculateJwkThumbprint, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';

const hour = 3_600_000;

function craft(header: object, payload: object, sign: (input: string) => string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${sign(input)}`;
}

describe('tokens', () => {
  let m: TestMcias;
  let clock: TestClock;
  let adminToken: string;

  before(async () => {
    clock = createTestClock();
    m = await startTestMcias({ now: clock.now });
    adminToken = await m.adminToken();
    await m.createAccount({ username: 'alice', password: 'alice-password-1' });
    await m.createAccount({ username: 'robot', accountType: 'system' });
  });
  after(() => m?.cleanup());

  const validate = async (token: string) =>
    (await m.request('POST', '/v1/token/validate', { body: { token } })).json<{
      valid: boolean;
      username?: string;
      roles?: string[];
      account_type?: string;
      jti?: string;
    }>();

  it('a login token verifies with jose against /.well-known/jwks.json alone', async () => {
    const token = await m.login('alice', 'alice-password-1');
    const jwksRes = await m.request('GET', '/.well-known/jwks.json');
    assert.equal(jwksRes.status, 200);
    const jwks = jwksRes.json<JSONWebKeySet>();
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      algorithms: ['EdDSA'],
      issuer: 'https://mcias.test',
      currentDate: new Date(clock.now()),
    });
    assert.equal(protectedHeader.alg, 'EdDSA');
    assert.equal(protectedHeader.kid, jwks.keys[0]!.kid);
    assert.equal(jwks.keys[0]!.kid, await calculateJwkThumbprint(jwks.keys[0]!), 'kid is the RFC 7638 thumbprint');
    assert.equal(typeof payload.sub, 'string');
    assert.equal(typeof payload.jti, 'string');
    assert.deepEqual(payload.roles, []);
    assert.equal(payload.exp! - payload.iat!, 720 * 3600);
    const raw = (await m.request('GET', '/v1/keys/public')).json<{ kty: string; crv: string; x: string }>();
    assert.deepEqual({ kty: raw.kty, crv: raw.crv, x: raw.x }, { kty: 'OKP', crv: 'Ed25519', x: jwks.keys[0]!.x });
  });

  it('refuses tokens whose header says none or HS256, and tampered tokens', async () => {
    const good = await m.login('alice', 'alice-password-1');
    const claims = decodeJwt(good);
    const x = (await m.request('GET', '/v1/keys/public')).json<{ x: string }>().x;
    const forged = [
      craft({ alg: 'none', typ: 'JWT' }, claims, () => ''),
      craft({ alg: 'none' }, claims, () => 'AAAA'),
      // the classic confusion: HMAC keyed with the public key's bytes
      craft({ alg: 'HS256', typ: 'JWT' }, claims, (i) =>
        createHmac('sha256', Buffer.from(x, 'base64url')).update(i).digest('base64url'),
      ),
      craft({ alg: 'HS256' }, claims, (i) => createHmac('sha256', x).update(i).digest('base64url')),
      craft({ typ: 'JWT' }, claims, () => good.split('.')[2]!),
      // a good signature with a header rewritten to claim another algorithm
      `${Buffer.from(JSON.stringify({ ...decodeProtectedHeader(good), alg: 'ES256' })).toString('base64url')}.${good.split('.').slice(1).join('.')}`,
      // a changed payload under the original signature
      `${good.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${good.split('.')[2]}`,
    ];
    for (const token of forged) {
      assert.equal((await validate(token)).valid, false, token);
      const res = await m.request('GET', '/v1/accounts', { token });
      assert.equal(res.status, 401);
    }
    assert.equal((await validate(good)).valid, true);
  });

  it('validates a token from the body or from the Authorization header, and says who it is', async () => {
    const token = await m.login('alice', 'alice-password-1');
    const fromBody = await validate(token);
    const viaHeader = (await m.request('POST', '/v1/token/validate', { token })).json<typeof fromBody>();
    assert.deepEqual(viaHeader, fromBody);
    assert.equal(fromBody.username, 'alice');
    assert.equal(fromBody.account_type, 'human');
    const none = await m.request('POST', '/v1/token/validate');
    assert.equal(none.status, 200);
    assert.equal(none.json<{ valid: boolean }>().valid, false);
  });

  it('a revoked token fails validation and authentication', async () => {
    const token = await m.login('alice', 'alice-password-1');
    const { jti } = await validate(token);
    const revoked = await m.request('DELETE', `/v1/token/${jti}`, { token: adminToken });
    assert.equal(revoked.status, 204, revoked.body);
    assert.equal((await validate(token)).valid, false);
    assert.equal((await m.request('POST', '/v1/auth/renew', { token })).status, 401);
    assert.equal((await m.request('DELETE', '/v1/token/nope', { token: adminToken })).status, 404);
  });

  it('a revocation written by another process is honoured at once (validation reuses no stale lookup)', async () => {
    const token = await m.login('alice', 'alice-password-1');
    const { jti } = await validate(token);
    assert.equal((await validate(token)).valid, true);
    // A second connection, as a break-glass tool would use, revokes the token behind the server's back.
    const other = new Database(m.server.config.database.path);
    try {
      other
        .prepare(
          'INSERT INTO revoked_tokens (jti, revoked_at, reason, expires_at) SELECT jti, ?, ?, expires_at FROM issued_tokens WHERE jti = ?',
        )
        .run(Date.now(), 'test', jti);
    } finally {
      other.close();
    }
    assert.equal((await validate(token)).valid, false);
  });

  it('an expired token fails (frozen clock moved past its exp), per lifetime', async () => {
    const user = await m.login('alice', 'alice-password-1');
    const admin = await m.adminToken();
    assert.equal((await validate(admin)).valid, true);
    clock.advance(8 * hour);
    assert.equal((await validate(admin)).valid, false, 'admin tokens live 8h');
    assert.equal((await validate(user)).valid, true, 'user tokens live 720h');
    clock.advance(712 * hour);
    assert.equal((await validate(user)).valid, false);
    adminToken = await m.adminToken();
  });

  it('issues system tokens without a password, for system accounts only, living 8760h', async () => {
    const robot = m.server.core.stores.accounts.byUsername('robot')!;
    const res = await m.request('POST', '/v1/token/issue', { token: adminToken, body: { account_id: robot.uuid } });
    assert.equal(res.status, 200, res.body);
    const { token } = res.json<{ token: string }>();
    const claims = decodeJwt(token);
    assert.equal(claims.exp! - claims.iat!, 8760 * 3600);
    const v = await validate(token);
    assert.equal(v.valid, true);
    assert.equal(v.account_type, 'system');
    const alice = m.server.core.stores.accounts.byUsername('alice')!;
    const human = await m.request('POST', '/v1/token/issue', { token: adminToken, body: { account_id: alice.uuid } });
    assert.equal(human.status, 412);
    const userToken = await m.login('alice', 'alice-password-1');
    const denied = await m.request('POST', '/v1/token/issue', { token: userToken, body: { account_id: robot.uuid } });
    assert.equal(denied.status, 403);
    assert.equal(
      (await m.request('POST', '/v1/auth/login', { body: { username: 'robot', password: 'anything-at-all' } })).status,
      401,
    );
  });

  it('renew returns a new token and revokes the old jti', async () => {
    const old = await m.login('alice', 'alice-password-1');
    const res = await m.request('POST', '/v1/auth/renew', { token: old });
    assert.equal(res.status, 200, res.body);
    const fresh = res.json<{ token: string }>().token;
    assert.notEqual(decodeJwt(fresh).jti, decodeJwt(old).jti);
    assert.equal((await validate(old)).valid, false);
    assert.equal((await validate(fresh)).valid, true);
  });

  it('logout revokes the presented token only', async () => {
    const a = await m.login('alice', 'alice-password-1');
    const b = await m.login('alice', 'alice-password-1');
    assert.equal((await m.request('POST', '/v1/auth/logout', { token: a })).status, 204);
    assert.equal((await validate(a)).valid, false);
    assert.equal((await validate(b)).valid, true);
    assert.equal((await m.request('POST', '/v1/auth/logout', { token: a })).status, 401);
    assert.equal((await m.request('POST', '/v1/auth/logout')).status, 401);
  });

  it('a token stops validating when its account is deactivated, and its role drops when revoked', async () => {
    const id = await m.createAccount({ username: 'bob', password: 'bob-password-12', roles: ['editor', 'viewer'] });
    const token = await m.login('bob', 'bob-password-12');
    assert.deepEqual((await validate(token)).roles, ['editor', 'viewer']);
    assert.equal((await m.request('DELETE', `/v1/accounts/${id}/roles/editor`, { token: adminToken })).status, 204);
    assert.deepEqual((await validate(token)).roles, ['viewer']);
    const off = await m.request('PATCH', `/v1/accounts/${id}`, { token: adminToken, body: { status: 'inactive' } });
    assert.equal(off.status, 200, off.body);
    assert.equal((await validate(token)).valid, false);
    assert.equal(
      (await m.request('POST', '/v1/auth/login', { body: { username: 'bob', password: 'bob-password-12' } })).status,
      401,
    );
  });
});
