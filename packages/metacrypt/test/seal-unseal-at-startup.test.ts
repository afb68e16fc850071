// [seal] unseal_password_file: absent file -> starts sealed as usual; the right password in a
// 0600 file -> a restart comes back unsealed with its mounts open; a file others can read, or
// a wrong password, stops the start with a message that says what to fix.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

describe('unseal at startup from [seal] unseal_password_file', () => {
  let mc: TestMetacrypt;
  let dir: string;
  let file: string;
  const state = async () => (await mc.request('GET', '/v1/status')).json<{ state: string }>().state;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metacrypt-unseal-file-'));
    file = join(dir, 'metacrypt.password');
    // the file does not exist yet: the first start is sealed/uninitialized as usual, then init
    mc = await startTestMetacrypt({ config: { seal: { unseal_password_file: file } }, mounts: [{ name: 'pki', type: 'ca' }] });
  });
  after(async () => {
    await mc?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts sealed when the file is missing', async () => {
    await mc.restart();
    assert.equal(await state(), 'sealed');
    await mc.unseal();
  });

  it('comes back unsealed, mounts open, when the file holds the password', async () => {
    await writeFile(file, `${mc.password}\n`, { mode: 0o600 });
    await mc.restart();
    assert.equal(await state(), 'unsealed');
    const ca = await mc.request('GET', '/v1/pki/pki/issuers', { token: mc.adminToken });
    assert.equal(ca.status, 200, ca.body);
  });

  it('refuses to start with a file others can read', async () => {
    await chmod(file, 0o644);
    await assert.rejects(mc.restart(), /unseal_password_file .* is readable by others .*chmod 600/);
    await chmod(file, 0o600);
  });

  it('refuses to start with a wrong password in the file', async () => {
    await writeFile(file, 'not-the-password-at-all\n', { mode: 0o600 });
    await assert.rejects(mc.restart(), /wrong unseal password/);
  });
});
