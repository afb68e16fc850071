// Nothing secret reaches the disk: after engine data, policy rules and mounts are written
// through the API, neither the SQLite file nor its -wal contains the plaintext, the key
// material an engine stored, or the unseal password, in raw, hex or base64 form.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';
import { noteModule } from './core-note-engine.js';

describe('barrier at rest', () => {
  let mc: TestMetacrypt;
  const marker = `plaintext-marker-${randomBytes(8).toString('hex')}`;
  const key = randomBytes(32);

  before(async () => {
    mc = await startTestMetacrypt({
      modules: [noteModule],
      mounts: [{ name: 'notes', type: 'transit', config: { label: marker } }],
    });
    for (const [name, value] of [
      ['n1', marker],
      ['key', key.toString('hex')],
      ['key64', key.toString('base64')],
    ]) {
      const res = await mc.request('POST', '/v1/echo', {
        token: mc.adminToken,
        body: { id: 'notes', text: name, tags: [value] },
      });
      assert.equal(res.status, 200, res.body);
    }
    const rule = await mc.request('POST', '/v1/policy/rules', {
      token: mc.adminToken,
      body: { name: marker, priority: 1, effect: 'allow', usernames: ['x'], resources: ['transit/notes/**'], actions: ['read'] },
    });
    assert.equal(rule.status, 200, rule.body);
  });
  after(() => mc?.stop());

  it('reads the values back through the API', async () => {
    const res = await mc.request('GET', '/v1/echo/notes?text=n1', { token: mc.adminToken });
    assert.equal(res.json<{ text: string }>().text, marker);
  });

  it('the database and its WAL hold none of them', () => {
    const files = [mc.dbPath, `${mc.dbPath}-wal`].filter((f) => existsSync(f));
    assert.ok(files.length >= 1);
    const needles: Array<[string, Buffer]> = [
      ['marker', Buffer.from(marker)],
      ['marker (base64)', Buffer.from(Buffer.from(marker).toString('base64').slice(0, 24))],
      ['key (raw)', key],
      ['key (hex)', Buffer.from(key.toString('hex'))],
      ['key (base64)', Buffer.from(key.toString('base64').slice(0, 24))],
      ['unseal password', Buffer.from(mc.password)],
    ];
    let bytes = 0;
    for (const file of files) {
      const content = readFileSync(file);
      bytes += content.length;
      for (const [what, needle] of needles) assert.equal(content.indexOf(needle), -1, `${what} found in ${file}`);
    }
    assert.ok(bytes > 4096);
  });
});
