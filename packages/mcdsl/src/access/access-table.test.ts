import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type McError, UnauthenticatedError } from '../errors/index.js';
import { bearerToken, enforceAccess, type AccessRule, type Caller } from './access-table.js';

const person = (name: string, roles: string[]): Caller => ({
  username: name,
  roles,
  accountType: 'human',
  isAdmin: roles.includes('admin'),
  isGuest: roles.includes('guest'),
  token: `${name}-token`,
});
const callers: Record<string, Caller> = {
  'admin-token': person('admin', ['admin']),
  'user-token': person('user', ['user']),
  'guest-token': person('guest', ['guest']),
};
const authenticate = (token: string) =>
  callers[token] ? Promise.resolve(callers[token]) : Promise.reject(new UnauthenticatedError('invalid or expired token'));

async function outcome(rule: AccessRule | undefined, token?: string, sealed = false): Promise<string> {
  try {
    const caller = await enforceAccess(rule, token, { authenticate, isSealed: () => sealed });
    return caller ? `ok:${caller.username}` : 'ok:anonymous';
  } catch (err) {
    return (err as McError).category;
  }
}

describe('enforceAccess', () => {
  // [rule, token, sealed, expected]
  const table: Array<[AccessRule | undefined, string | undefined, boolean, string]> = [
    [undefined, 'admin-token', false, 'forbidden'],
    [{ level: 'public' }, undefined, false, 'ok:anonymous'],
    [{ level: 'public' }, 'garbage', false, 'ok:anonymous'],
    [{ level: 'public', unsealed: true }, undefined, true, 'sealed'],
    [{ level: 'token' }, undefined, false, 'unauthenticated'],
    [{ level: 'token' }, 'garbage', false, 'unauthenticated'],
    [{ level: 'token' }, 'guest-token', false, 'ok:guest'],
    [{ level: 'token' }, 'user-token', false, 'ok:user'],
    [{ level: 'authenticated' }, 'guest-token', false, 'forbidden'],
    [{ level: 'authenticated' }, 'user-token', false, 'ok:user'],
    [{ level: 'admin' }, 'user-token', false, 'forbidden'],
    [{ level: 'admin' }, 'admin-token', false, 'ok:admin'],
    [{ level: 'admin', unsealed: true }, 'admin-token', true, 'sealed'],
    [{ level: 'admin', unsealed: true }, 'admin-token', false, 'ok:admin'],
  ];
  for (const [rule, token, sealed, expected] of table) {
    it(`${rule ? `${rule.level}${rule.unsealed ? '+unsealed' : ''}` : 'no rule'} with ${token ?? 'no token'}${sealed ? ' while sealed' : ''} -> ${expected}`, async () => {
      assert.equal(await outcome(rule, token, sealed), expected);
    });
  }

  it('checks sealed state before looking at the token', async () => {
    let looked = false;
    const spy = (t: string) => {
      looked = true;
      return authenticate(t);
    };
    await assert.rejects(
      enforceAccess({ level: 'admin', unsealed: true }, 'admin-token', { authenticate: spy, isSealed: () => true }),
    );
    assert.equal(looked, false);
  });
});

describe('bearerToken', () => {
  it('reads the Bearer scheme case-insensitively and nothing else', () => {
    assert.equal(bearerToken('Bearer abc.def'), 'abc.def');
    assert.equal(bearerToken('bearer abc'), 'abc');
    assert.equal(bearerToken('Basic abc'), undefined);
    assert.equal(bearerToken('Bearer'), undefined);
    assert.equal(bearerToken('Bearer a b'), undefined);
    assert.equal(bearerToken(undefined), undefined);
  });
});
