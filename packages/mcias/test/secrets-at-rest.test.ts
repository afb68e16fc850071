// What an attacker with the SQLite files (and not the master key) gets: no TOTP secret, no
// signing key, no passphrase, in the database or its WAL, in any of the encodings they take.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Secret } from 'otpauth';
import { startTestMcias, type TestMcias } from '../src/testing.js';

describe('secrets at rest', () => {
  let m: TestMcias;
  let totpSecret: string;

  before(async () => {
    m = await startTestMcias({ masterKey: 'passphrase' });
    await m.createAccount({ username: 'ivy', password: 'ivy-password-123' });
    const token = await m.login('ivy', 'ivy-password-123');
    const res = await m.request('POST', '/v1/auth/totp/enroll', { token, body: { password: 'ivy-password-123' } });
    assert.equal(res.status, 200, res.body);
    totpSecret = res.json<{ secret: string }>().secret;
  });
  after(() => m?.cleanup());

  it('the database files hold neither the TOTP secret nor the signing key nor the passphrase', () => {
    const key = m.server.core.vault.signingKey().privateKey;
    const d = (key.export({ format: 'jwk' }) as { d: string }).d;
    const needles: Array<[string, Buffer]> = [
      ['totp base32', Buffer.from(totpSecret, 'ascii')],
      ['totp raw bytes', Buffer.from(Secret.fromBase32(totpSecret).bytes)],
      ['signing key d (base64url)', Buffer.from(d, 'ascii')],
      ['signing key raw 32 bytes', Buffer.from(d, 'base64url')],
      ['signing key pkcs8 der', key.export({ format: 'der', type: 'pkcs8' })],
      ['signing key pem body', Buffer.from((key.export({ format: 'pem', type: 'pkcs8' }) as string).split('\n')[1]!, 'ascii')],
      ['master passphrase', Buffer.from(m.passphrase, 'utf8')],
    ];
    const path = m.server.config.database.path;
    const files = [path, `${path}-wal`, `${path}-shm`].filter((f) => existsSync(f));
    assert.ok(files.length >= 2, 'the database and its WAL are both checked');
    let total = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      total += bytes.length;
      for (const [what, needle] of needles) assert.equal(bytes.indexOf(needle), -1, `${what} found in ${file}`);
    }
    assert.ok(total > 0);
    // and the secrets really were written: the vault boxes are there
    const row = m.server.core.stores.accounts.byUsername('ivy')!;
    assert.ok(row.totpSecretEnc !== null && row.totpSecretEnc.length > totpSecret.length);
  });
});
