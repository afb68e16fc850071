import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateNewPassword } from './password-rules.js';
import { validateRoles } from './roles.js';
import { validateTags } from './tags.js';
import { validateUsername } from './username.js';

describe('account rules', () => {
  it('usernames: lowercase, 1-64, a safe charset', () => {
    for (const ok of ['a', 'alice', 'mcp-agent', 'agent.rift', 'svc_01', 'x'.repeat(64)]) assert.equal(validateUsername(ok), ok);
    for (const bad of ['', 'Alice', '-x', '.x', 'a b', 'a/b', 'é', 'x'.repeat(65), 'a@b']) {
      assert.throws(() => validateUsername(bad), { code: 'ERR_BAD_USERNAME' }, bad);
    }
  });

  it('roles: the allow-list only, deduplicated and sorted', () => {
    assert.deepEqual(validateRoles(['user', 'admin', 'user']), ['admin', 'user']);
    assert.throws(() => validateRoles(['service']), { code: 'ERR_BAD_ROLE' });
    assert.throws(() => validateRoles(['Admin']), { code: 'ERR_BAD_ROLE' });
  });

  it('tags: [a-z0-9:._-], deduplicated and sorted', () => {
    assert.deepEqual(validateTags(['env:restricted', 'a', 'a']), ['a', 'env:restricted']);
    for (const bad of ['', 'Env:x', 'a b', 'a/b', 'x'.repeat(129)])
      assert.throws(() => validateTags([bad]), { code: 'ERR_BAD_TAG' }, bad);
    assert.throws(() => validateTags(Array.from({ length: 65 }, (_, i) => `t${i}`)), { code: 'ERR_BAD_TAG' });
  });

  it('passwords: at least 12 characters (counted as characters, not bytes)', () => {
    assert.throws(() => validateNewPassword('elevenchars'), { code: 'ERR_WEAK_PASSWORD' });
    assert.equal(validateNewPassword('twelve chars'), 'twelve chars');
    assert.throws(() => validateNewPassword('🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑'), { code: 'ERR_WEAK_PASSWORD' });
  });
});
