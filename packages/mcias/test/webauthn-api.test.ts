// The WebAuthn API without a browser: what happens before an authenticator is involved
// (configuration, re-authentication, challenges, options, authorization, bad input) over REST
// and gRPC. The ceremonies with a real authenticator are in webauthn-passkeys.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { WebAuthnService } from '@metacircular/proto/mcias/v1/webauthn_pb';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';
import { bearer, grpcClients } from './grpc-client.js';

interface Begun {
  challenge_id: string;
  options: Record<string, unknown>;
}

describe('webauthn api', () => {
  let m: TestMcias;
  let off: TestMcias;
  let clock: TestClock;
  let dana: { id: string; token: string };
  let eve: { id: string; token: string };

  before(async () => {
    clock = createTestClock(Date.UTC(2026, 2, 3, 4, 5, 6));
    m = await startTestMcias({ now: clock.now, config: { webauthn: { rp_id: 'localhost', display_name: 'MCIAS test' } } });
    off = await startTestMcias({ admin: false });
    const danaId = await m.createAccount({ username: 'dana', password: 'dana-password-12' });
    const eveId = await m.createAccount({ username: 'eve', password: 'eve-password-123' });
    dana = { id: danaId, token: await m.login('dana', 'dana-password-12') };
    eve = { id: eveId, token: await m.login('eve', 'eve-password-123') };
  });
  after(async () => {
    await m?.cleanup();
    await off?.cleanup();
  });

  it('answers 412 "webauthn is not configured" on every WebAuthn route without [webauthn]', async () => {
    await off.createAccount({ username: 'fred', password: 'fred-password-12' });
    const token = await off.login('fred', 'fred-password-12');
    const fredId = off.server.core.stores.accounts.byUsername('fred')!.uuid;
    const calls: Array<[string, string, object?]> = [
      ['POST', '/v1/auth/webauthn/register/begin', { password: 'fred-password-12' }],
      ['POST', '/v1/auth/webauthn/register/finish', { challenge_id: 'x' }],
      ['POST', '/v1/auth/webauthn/login/begin', {}],
      ['POST', '/v1/auth/webauthn/login/finish', { challenge_id: 'x' }],
      ['GET', `/v1/accounts/${fredId}/webauthn`],
      ['DELETE', `/v1/accounts/${fredId}/webauthn/x`],
    ];
    for (const [method, path, body] of calls) {
      const res = await off.request(method, path, { token, ...(body ? { body } : {}) });
      assert.equal(res.status, 412, `${method} ${path}: ${res.body}`);
      assert.match(res.json<{ error: string }>().error, /^webauthn is not configured/);
    }
    const routes = Object.keys(off.server.access).filter((k) => k.includes('webauthn'));
    assert.equal(routes.length, 6, routes.join(', '));
  });

  it('registration needs a token and the current password; a wrong one counts toward the lockout', async () => {
    const path = '/v1/auth/webauthn/register/begin';
    assert.equal((await m.request('POST', path, { body: { password: 'dana-password-12' } })).status, 401);
    const empty = await m.request('POST', path, { token: dana.token, body: {} });
    assert.equal(empty.status, 400);
    const wrong = await m.request('POST', path, { token: dana.token, body: { password: 'not-her-password' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json(), { error: 'invalid credentials' });
    const dAccount = m.server.core.stores.accounts.byUsername('dana')!;
    assert.equal(m.server.core.stores.failedLogins.get(dAccount.id)?.failures, 1);
    const ok = await m.request('POST', path, { token: dana.token, body: { password: 'dana-password-12' } });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(m.server.core.stores.failedLogins.get(dAccount.id), undefined, 'a right password resets the counter');
  });

  it('creation options: RP, user handle = account UUID, 128-bit challenge, discoverable preferred, 120 s', async () => {
    const res = await m.request('POST', '/v1/auth/webauthn/register/begin', {
      token: dana.token,
      body: { password: 'dana-password-12' },
    });
    const { challenge_id, options } = res.json<Begun>();
    assert.equal(Buffer.from(challenge_id, 'base64url').length, 16);
    assert.deepEqual(options['rp'], { name: 'MCIAS test', id: 'localhost' });
    const user = options['user'] as { id: string; name: string };
    assert.equal(Buffer.from(user.id, 'base64url').toString('hex'), dana.id.replaceAll('-', ''));
    assert.equal(user.name, 'dana');
    assert.equal(Buffer.from(options['challenge'] as string, 'base64url').length, 16);
    assert.equal(options['timeout'], 120_000);
    assert.equal(options['attestation'], 'none');
    assert.deepEqual(options['excludeCredentials'], []);
    assert.equal((options['authenticatorSelection'] as { residentKey: string }).residentKey, 'preferred');
    assert.deepEqual(options['extensions'], { credProps: true });
  });

  it('a registration challenge is single-use and belongs to the account that began it', async () => {
    const begin = await m.request('POST', '/v1/auth/webauthn/register/begin', {
      token: dana.token,
      body: { password: 'dana-password-12' },
    });
    const { challenge_id } = begin.json<Begun>();
    const credential = {
      id: 'AAAA',
      rawId: 'AAAA',
      type: 'public-key',
      response: { clientDataJSON: 'e30', attestationObject: 'oA' },
    };
    // eve cannot finish dana's ceremony (and using it spends it)
    const stolen = await m.request('POST', '/v1/auth/webauthn/register/finish', {
      token: eve.token,
      body: { challenge_id, credential },
    });
    assert.equal(stolen.status, 400);
    assert.match(stolen.json<{ error: string }>().error, /challenge_id is unknown, used or expired/);
    const again = await m.request('POST', '/v1/auth/webauthn/register/finish', {
      token: dana.token,
      body: { challenge_id, credential },
    });
    assert.equal(again.status, 400);
    assert.match(again.json<{ error: string }>().error, /challenge_id is unknown, used or expired/);
  });

  it('a forged attestation is refused with 400 and stores nothing', async () => {
    const { challenge_id } = (
      await m.request('POST', '/v1/auth/webauthn/register/begin', { token: dana.token, body: { password: 'dana-password-12' } })
    ).json<Begun>();
    const res = await m.request('POST', '/v1/auth/webauthn/register/finish', {
      token: dana.token,
      body: {
        challenge_id,
        credential: {
          id: 'AAAA',
          rawId: 'AAAA',
          type: 'public-key',
          response: { clientDataJSON: 'e30', attestationObject: 'oA' },
        },
      },
    });
    assert.equal(res.status, 400);
    assert.match(res.json<{ error: string }>().error, /did not verify/);
    assert.equal(m.server.core.stores.webauthn.countOf(m.server.core.stores.accounts.byUsername('dana')!.id), 0);
  });

  it('login begin: no username -> empty allowCredentials and UV required; a name without passkeys -> a stable decoy', async () => {
    const anon = (await m.request('POST', '/v1/auth/webauthn/login/begin', { body: {} })).json<Begun>();
    assert.deepEqual(anon.options['allowCredentials'], []);
    assert.equal(anon.options['userVerification'], 'required');
    assert.equal(anon.options['rpId'], 'localhost');
    assert.equal(Buffer.from(anon.options['challenge'] as string, 'base64url').length, 16);

    const named = async (username: string) =>
      (await m.request('POST', '/v1/auth/webauthn/login/begin', { body: { username } })).json<Begun>().options;
    const ghost1 = await named('ghost');
    const ghost2 = await named('ghost');
    const danaOptions = await named('dana');
    assert.equal(ghost1['userVerification'], 'preferred');
    const ids = (o: Record<string, unknown>) => (o['allowCredentials'] as Array<{ id: string }>).map((c) => c.id);
    assert.equal(ids(ghost1).length, 1);
    assert.deepEqual(ids(ghost1), ids(ghost2), 'the same name gets the same answer');
    assert.equal(Buffer.from(ids(ghost1)[0]!, 'base64url').length, 32);
    assert.equal(ids(danaOptions).length, 1, 'an existing account without passkeys looks the same');
    assert.notDeepEqual(ids(danaOptions), ids(ghost1));
    const long = await m.request('POST', '/v1/auth/webauthn/login/begin', { body: { username: 'x'.repeat(65) } });
    assert.equal(long.status, 400, 'a username longer than any account name is refused before it is held in memory');
  });

  it('login finish: an unknown challenge is 401, a malformed credential 400, an expired challenge 401', async () => {
    const finish = (body: object) => m.request('POST', '/v1/auth/webauthn/login/finish', { body });
    const unknown = await finish({ challenge_id: 'nope', credential: { id: 'AAAA' } });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.json(), { error: 'invalid credentials' });

    const begun = (await m.request('POST', '/v1/auth/webauthn/login/begin', { body: {} })).json<Begun>();
    const malformed = await finish({ challenge_id: begun.challenge_id, credential: { id: 'AAAA', rawId: 'AAAA' } });
    assert.equal(malformed.status, 400);

    const late = (await m.request('POST', '/v1/auth/webauthn/login/begin', { body: {} })).json<Begun>();
    clock.advance(120_001);
    const expired = await finish({
      challenge_id: late.challenge_id,
      credential: {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
      },
    });
    assert.equal(expired.status, 401);
    const fails = m.server.core.audit.list({ eventType: 'webauthn_login_fail', limit: 10 });
    assert.equal(fails[0]?.details['reason'], 'bad_challenge');
  });

  it('an unknown credential is 401 and audited; nothing in the audit names a credential id', async () => {
    const begun = (await m.request('POST', '/v1/auth/webauthn/login/begin', { body: {} })).json<Begun>();
    const res = await m.request('POST', '/v1/auth/webauthn/login/finish', {
      body: {
        challenge_id: begun.challenge_id,
        credential: {
          id: 'c29tZS1pZA',
          rawId: 'c29tZS1pZA',
          type: 'public-key',
          response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
        },
      },
    });
    assert.equal(res.status, 401);
    const [fail] = m.server.core.audit.list({ eventType: 'webauthn_login_fail', limit: 1 });
    assert.equal(fail?.details['reason'], 'unknown_credential');
    assert.ok(!JSON.stringify(fail).includes('c29tZS1pZA'));
  });

  it('lists: own passkeys yes, another account only with accounts:read (admin); remove: 403 / 404', async () => {
    assert.equal((await m.request('GET', `/v1/accounts/${dana.id}/webauthn`, { token: dana.token })).status, 200);
    assert.deepEqual((await m.request('GET', `/v1/accounts/${dana.id}/webauthn`, { token: dana.token })).json(), {
      credentials: [],
    });
    assert.equal((await m.request('GET', `/v1/accounts/${dana.id}/webauthn`, { token: eve.token })).status, 403);
    const admin = await m.adminToken();
    assert.equal((await m.request('GET', `/v1/accounts/${dana.id}/webauthn`, { token: admin })).status, 200);
    assert.equal(
      (await m.request('GET', '/v1/accounts/00000000-0000-0000-0000-000000000000/webauthn', { token: admin })).status,
      404,
    );
    assert.equal((await m.request('DELETE', `/v1/accounts/${dana.id}/webauthn/whatever`, { token: eve.token })).status, 403);
    assert.equal((await m.request('DELETE', `/v1/accounts/${dana.id}/webauthn/whatever`, { token: dana.token })).status, 404);
    assert.equal((await m.request('DELETE', `/v1/accounts/${dana.id}/webauthn/whatever`, { token: admin })).status, 404);
  });

  it('system accounts cannot enrol (built-in rule -8 is for people)', async () => {
    const sysId = await m.createAccount({ username: 'robot', accountType: 'system' });
    const admin = await m.adminToken();
    const issued = await m.request('POST', '/v1/token/issue', { token: admin, body: { account_id: sysId } });
    const token = issued.json<{ token: string }>().token;
    const res = await m.request('POST', '/v1/auth/webauthn/register/begin', { token, body: { password: 'x' } });
    assert.equal(res.status, 403);
  });

  it('serves the same RPCs over gRPC: empty account_id is the caller; errors keep their codes', async () => {
    const grpc = grpcClients(m.grpcUrl, m.caCert);
    try {
      const client = grpc.client(WebAuthnService);
      const list = await client.listWebAuthnCredentials({}, bearer(dana.token));
      assert.deepEqual(list.credentials, []);
      const begun = await client.beginWebAuthnLogin({ username: '' });
      assert.equal(begun.options?.['userVerification'], 'required');
      const code = async (p: Promise<unknown>) => {
        try {
          await p;
        } catch (err) {
          return ConnectError.from(err).code;
        }
        return undefined;
      };
      assert.equal(
        await code(client.beginWebAuthnRegistration({ password: 'wrong-password' }, bearer(dana.token))),
        Code.Unauthenticated,
      );
      assert.equal(await code(client.listWebAuthnCredentials({ accountId: dana.id }, bearer(eve.token))), Code.PermissionDenied);
      assert.equal(await code(client.finishWebAuthnLogin({ challengeId: 'nope' })), Code.Unauthenticated);
    } finally {
      grpc.close();
    }
  });
});
