// Mount management over the real API with a fixture engine: create validates name, type and
// config (through the provider) and runs initialize in the same transaction as the mount entry;
// bad input changes nothing; engine calls reach the engine of the named mount (unknown mount
// 404); delete wipes engine/{name}/* and the DEK; seal calls engine.seal() on open engines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';
import { noteModule, openedEngines } from './core-note-engine.js';

describe('mounts', () => {
  let mc: TestMetacrypt;
  const rows = (prefix: string): string[] => {
    const db = new Database(mc.dbPath, { readonly: true });
    try {
      return db
        .prepare('SELECT path FROM barrier_entries WHERE substr(path, 1, length(@p)) = @p ORDER BY path')
        .pluck()
        .all({ p: prefix }) as string[];
    } finally {
      db.close();
    }
  };
  const names = async () =>
    (await mc.request('GET', '/v1/mounts', { token: mc.adminToken }))
      .json<{ mounts: Array<{ name: string }> }>()
      .mounts.map((m) => m.name);

  before(async () => {
    mc = await startTestMetacrypt({ modules: [noteModule] });
  });
  after(() => mc?.stop());

  it('creates a mount with its config, visible to any token holder', async () => {
    const res = await mc.request('POST', '/v1/mounts', {
      token: mc.adminToken,
      body: { name: 'notes', type: 'transit', config: { label: 'team notes' } },
    });
    assert.equal(res.status, 200, res.body);
    const m = res.json<{ name: string; type: string; config: Record<string, unknown>; created_at: string }>();
    assert.deepEqual([m.name, m.type, m.config], ['notes', 'transit', { label: 'team notes' }]);
    assert.ok(Date.parse(m.created_at) > 0);
    const guest = await mc.token('gus', { roles: ['guest'] });
    const list = await mc.request('GET', '/v1/mounts', { token: guest });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json<{ mounts: Array<{ name: string }> }>().mounts.map((x) => x.name),
      ['notes'],
    );
    assert.deepEqual(rows('sys/mounts/'), ['sys/mounts/notes']);
    assert.deepEqual(rows('engine/notes/'), ['engine/notes/meta']);
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [{ name: 'Bad_Name', type: 'transit' }, 400, /name must be 1-63 lowercase/],
      [{ name: '-x', type: 'transit' }, 400, /name must be/],
      [{ name: 'a'.repeat(64), type: 'transit' }, 400, /name must be/],
      [{ name: 'other', type: 'nope' }, 400, /type must be one of transit/],
      [{ name: 'other', type: 'transit', config: { colour: 'red' } }, 400, /config.colour is not/],
      [{ name: 'other', type: 'transit', config: { fail_init: true } }, 400, /fail its initialization/],
      [{ name: 'notes', type: 'transit' }, 409, /already exists/],
      [{ name: 'other', type: 'transit', surprise: 1 }, 400, /surprise/],
    ];
    for (const [body, status, message] of cases) {
      const res = await mc.request('POST', '/v1/mounts', { token: mc.adminToken, body });
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.json<{ error: string }>().error, message);
    }
    assert.deepEqual(await names(), ['notes']);
    assert.deepEqual(rows('engine/other/'), [], 'a failed initialize leaves no engine data');
    assert.deepEqual(rows('sys/mounts/'), ['sys/mounts/notes']);
  });

  it('needs an admin to create or delete', async () => {
    const user = await mc.token('uma', { roles: ['user'] });
    const create = await mc.request('POST', '/v1/mounts', { token: user, body: { name: 'mine', type: 'transit' } });
    assert.equal(create.status, 403);
    assert.equal((await mc.request('DELETE', '/v1/mounts/notes', { token: user })).status, 403);
    assert.deepEqual(await names(), ['notes']);
  });

  it('routes engine calls to the named mount; an unknown mount is 404', async () => {
    const put = await mc.request('POST', '/v1/echo', { token: mc.adminToken, body: { id: 'notes', text: 'k1', tags: ['v1'] } });
    assert.equal(put.status, 200, put.body);
    const get = await mc.request('GET', '/v1/echo/notes?text=k1', { token: mc.adminToken });
    assert.equal(get.json<{ text: string }>().text, 'v1');
    const unknown = await mc.request('GET', '/v1/echo/nope?text=k1', { token: mc.adminToken });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json(), { error: 'no mount named nope' });
  });

  it('delete wipes the data and the DEK; a new mount of the same name starts empty', async () => {
    assert.ok(rows('engine/notes/').includes('engine/notes/notes/k1'));
    const del = await mc.request('DELETE', '/v1/mounts/notes', { token: mc.adminToken });
    assert.equal(del.status, 204, del.body);
    assert.deepEqual(rows('engine/notes/'), []);
    assert.deepEqual(rows('sys/mounts/'), []);
    assert.equal((await mc.request('GET', '/v1/echo/notes?text=k1', { token: mc.adminToken })).status, 404);
    assert.equal((await mc.request('DELETE', '/v1/mounts/notes', { token: mc.adminToken })).status, 404);
    const again = await mc.request('POST', '/v1/mounts', { token: mc.adminToken, body: { name: 'notes', type: 'transit' } });
    assert.equal(again.status, 200, again.body);
    const get = await mc.request('GET', '/v1/echo/notes?text=k1', { token: mc.adminToken });
    assert.equal(get.json<{ text: string }>().text, '');
  });

  it('seal calls seal() on every open engine; unseal opens them again with their data', async () => {
    await mc.request('POST', '/v1/echo', { token: mc.adminToken, body: { id: 'notes', text: 'k2', tags: ['v2'] } });
    const open = openedEngines.filter((e) => !e.sealed);
    assert.ok(open.length >= 1);
    assert.equal((await mc.request('POST', '/v1/seal', { token: mc.adminToken, body: {} })).status, 200);
    assert.ok(open.every((e) => e.sealed));
    assert.throws(() => open[0]!.get('k2'), /sealed/, 'a view kept by an engine stops working');
    await mc.unseal();
    const get = await mc.request('GET', '/v1/echo/notes?text=k2', { token: mc.adminToken });
    assert.equal(get.json<{ text: string }>().text, 'v2');
  });
});
