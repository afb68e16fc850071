// The example config shipped in deploy/examples must stay valid as the config schema changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMciasConfig } from '../src/config.js';

const example = [
  new URL('../../../deploy/examples/mcias.toml', import.meta.url),
  new URL('../../../../deploy/examples/mcias.toml', import.meta.url),
]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(p))!;

test('deploy/examples/mcias.toml is a valid MCIAS config', () => {
  const config = loadMciasConfig(example, {});
  assert.equal(config.server.listen_addr, '0.0.0.0:8443');
  assert.equal(config.tokens.default_expiry, 720 * 3_600_000);
  assert.deepEqual(config.master_key, { kind: 'passphrase', passphrase_env: 'MCIAS_MASTER_PASSPHRASE' });
});
