// The example config shipped in deploy/examples must stay valid as the config schema changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMcatConfig } from '../src/config.js';

const example = [
  new URL('../../../deploy/examples/mcat.toml', import.meta.url),
  new URL('../../../../deploy/examples/mcat.toml', import.meta.url),
]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(p))!;

test('deploy/examples/mcat.toml is a valid MCAT config', () => {
  const config = loadMcatConfig(example, {});
  assert.equal(config.server.listen_addr, '0.0.0.0:8443');
  assert.equal(config.mcias.service_name, 'mcat');
  assert.deepEqual(config.mcias.tags, ['env:restricted']);
});
