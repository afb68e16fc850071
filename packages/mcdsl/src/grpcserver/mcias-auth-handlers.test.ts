import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { createContextValues, createHandlerContext } from '@connectrpc/connect';
import { AuthService } from '@metacircular/proto/metacrypt/v1/auth_pb';
import type { Caller } from '../access/index.js';
import { UnauthenticatedError } from '../errors/index.js';
import { mciasAuthHandlers } from './mcias-auth-handlers.js';
import { callerKey } from './service-registration.js';

// The handlers' own logic (argument mapping, caller checks) with a recording authenticator; the
// services' integration tests run them against a real MCIAS.
function contextWith(caller: Caller | undefined) {
  return createHandlerContext({
    service: AuthService,
    method: AuthService.method.logout,
    protocolName: 'connect',
    requestMethod: 'POST',
    url: 'https://127.0.0.1/metacrypt.v1.AuthService/Logout',
    contextValues: createContextValues().set(callerKey, caller),
  });
}

describe('mciasAuthHandlers', () => {
  const calls: unknown[][] = [];
  const expiresAt = new Date('2030-01-01T00:00:00Z');
  const handlers = mciasAuthHandlers({
    login: (...args: [string, string, string?]) => {
      calls.push(['login', ...args]);
      return Promise.resolve({ token: 't1', expiresAt });
    },
    logout: (token: string) => {
      calls.push(['logout', token]);
      return Promise.resolve();
    },
  });
  const alice: Caller = {
    username: 'alice',
    roles: ['admin'],
    accountType: 'human',
    isAdmin: true,
    isGuest: false,
    token: 'tok-a',
  };

  it('forwards a login, with no TOTP code when the field is empty', async () => {
    const res = await handlers.login({ username: 'alice', password: 'pw', totpCode: '' });
    assert.equal(res.token, 't1');
    assert.deepEqual(timestampDate(res.expiresAt), expiresAt);
    await handlers.login({ username: 'alice', password: 'pw', totpCode: '123456' });
    assert.deepEqual(calls.splice(0), [
      ['login', 'alice', 'pw', undefined],
      ['login', 'alice', 'pw', '123456'],
    ]);
  });

  it("logs out the caller's own token and reports who the caller is", async () => {
    assert.deepEqual(await handlers.logout({}, contextWith(alice)), {});
    assert.deepEqual(calls.splice(0), [['logout', 'tok-a']]);
    assert.deepEqual(handlers.tokenInfo({}, contextWith(alice)), {
      username: 'alice',
      roles: ['admin'],
      isAdmin: true,
      accountType: 'human',
    });
  });

  it('refuses Logout and TokenInfo without a caller', async () => {
    await assert.rejects(handlers.logout({}, contextWith(undefined)), UnauthenticatedError);
    assert.throws(() => handlers.tokenInfo({}, contextWith(undefined)), UnauthenticatedError);
    assert.equal(calls.length, 0);
  });
});
