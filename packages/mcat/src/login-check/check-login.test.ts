import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ForbiddenError, UnauthenticatedError, UnavailableError } from '@metacircular/mcdsl';
import type { Caller } from '@metacircular/mcdsl';
import { checkLogin } from './check-login.js';
import type { MciasLogin } from './check-login.js';

// The classification alone, with in-process stand-ins for the two Authenticator calls; the
// real MCIAS answers are exercised end to end in test/login-outcomes.test.ts.
const alice: Caller = { username: 'alice', roles: ['user'], accountType: 'human', isAdmin: false, isGuest: false, token: 't' };
const expiresAt = new Date('2030-01-01T00:00:00Z');

function mcias(login: () => Promise<{ token: string; expiresAt: Date }>, validate = () => Promise.resolve(alice)): MciasLogin {
  return { login, validate };
}

describe('checkLogin', () => {
  it('validates an issued token and reports it accepted', async () => {
    const outcome = await checkLogin(
      mcias(() => Promise.resolve({ token: 't', expiresAt })),
      { username: 'alice', password: 'pw' },
    );
    assert.deepEqual(outcome, { kind: 'accepted', token: 't', expiresAt, caller: alice });
  });

  it('maps 401 to bad-credentials and 403 to denied-by-policy', async () => {
    const bad = await checkLogin(
      mcias(() => Promise.reject(new UnauthenticatedError('invalid credentials', { code: 'ERR_INVALID_CREDENTIALS' }))),
      { username: 'alice', password: 'pw' },
    );
    assert.deepEqual(bad, { kind: 'bad-credentials' });
    const denied = await checkLogin(
      mcias(() => Promise.reject(new ForbiddenError('login denied by policy', { code: 'ERR_LOGIN_DENIED' }))),
      { username: 'alice', password: 'pw' },
    );
    assert.deepEqual(denied, { kind: 'denied-by-policy' });
  });

  it('is not an outcome when MCIAS cannot be asked or cannot validate its own token', async () => {
    await assert.rejects(
      checkLogin(
        mcias(() => Promise.reject(new UnavailableError('connect ECONNREFUSED'))),
        { username: 'alice', password: 'pw' },
      ),
      UnavailableError,
    );
    await assert.rejects(
      checkLogin(
        mcias(
          () => Promise.resolve({ token: 't', expiresAt }),
          () => Promise.reject(new UnauthenticatedError('invalid or expired token')),
        ),
        { username: 'alice', password: 'pw' },
      ),
      (err: unknown) => err instanceof UnavailableError && err.code === 'ERR_MCIAS_VALIDATE',
    );
  });
});
