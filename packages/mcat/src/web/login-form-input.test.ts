import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLoginForm } from './login-form-input.js';

describe('parseLoginForm', () => {
  it('reads username, password and an optional TOTP code, ignoring the csrf field', () => {
    assert.deepEqual(parseLoginForm({ username: ' alice ', password: ' pw ', totp_code: '', csrf_token: 'x' }), {
      ok: true,
      attempt: { username: 'alice', password: ' pw ' },
    });
    assert.deepEqual(parseLoginForm({ username: 'alice', password: 'pw', totp_code: ' 123456 ' }), {
      ok: true,
      attempt: { username: 'alice', password: 'pw', totpCode: '123456' },
    });
  });

  it('names the problem, keeps the username and never the password', () => {
    const secret = 'correct horse battery staple';
    const cases: Array<[unknown, RegExp, string]> = [
      [undefined, /enter a username/, ''],
      [{ username: '', password: secret }, /enter a username/, ''],
      [{ username: 'alice' }, /enter a password/, 'alice'],
      [{ username: 'alice', password: secret, totp_code: '12ab56' }, /6 to 8 digits/, 'alice'],
      [{ username: ['a', 'b'], password: secret }, /enter a username/, ''],
      [{ username: 'alice', password: 'x'.repeat(1025) }, /longer than 1024/, 'alice'],
    ];
    for (const [body, problem, username] of cases) {
      const input = parseLoginForm(body);
      assert.equal(input.ok, false, JSON.stringify(body));
      if (input.ok) continue;
      assert.match(input.problem, problem);
      assert.equal(input.username, username);
      assert.ok(!JSON.stringify(input).includes(secret));
    }
  });
});
