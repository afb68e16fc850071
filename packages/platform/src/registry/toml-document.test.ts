import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { tomlDocument } from './toml-document.js';

test('tomlDocument writes sections a real TOML parser reads back unchanged', () => {
  const text = tomlDocument(
    {
      server: { listen_addr: '127.0.0.1:8443', tls_cert: '/srv/a "quoted" path\\with\tescapes\u007f' },
      database: { path: '/srv/x.db' },
      mcias: undefined,
      dns: { upstreams: ['1.1.1.1:53'], port: 53, enabled: true, empty: [], skipped: undefined },
      listeners: [{ addr: '127.0.0.1:1' }, { addr: '127.0.0.1:2' }],
      'odd.name': { 'key with space': 'v' },
    },
    ['generated', 'do not edit'],
  );
  assert.ok(text.startsWith('# generated\n# do not edit\n\n[server]\n'));
  // smol-toml builds null-prototype objects; a JSON round trip makes them plain for comparison.
  assert.deepEqual(JSON.parse(JSON.stringify(parse(text))), {
    server: { listen_addr: '127.0.0.1:8443', tls_cert: '/srv/a "quoted" path\\with\tescapes\u007f' },
    database: { path: '/srv/x.db' },
    dns: { upstreams: ['1.1.1.1:53'], port: 53, enabled: true, empty: [] },
    listeners: [{ addr: '127.0.0.1:1' }, { addr: '127.0.0.1:2' }],
    'odd.name': { 'key with space': 'v' },
  });
});

test('tomlDocument refuses numbers TOML cannot hold the same way', () => {
  assert.throws(() => tomlDocument({ a: { n: Number.NaN } }), /cannot write NaN/);
});
