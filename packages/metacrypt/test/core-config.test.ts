// The config: the shipped example loads, defaults fill in, unknown keys and bad values are
// refused naming the key, and env overrides apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMetacryptConfig } from '../src/config.js';

const example = [
  new URL('../../../deploy/examples/metacrypt.toml', import.meta.url),
  new URL('../../../../deploy/examples/metacrypt.toml', import.meta.url),
]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(p))!;

const minimal = `
[server]
listen_addr = ":8443"
tls_cert = "/c.pem"
tls_key = "/k.pem"
[database]
path = "/srv/metacrypt/metacrypt.db"
[mcias]
server_url = "https://mcias.example:8443"
service_name = "metacrypt"
`;

async function withConfig(text: string, fn: (path: string) => void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'metacrypt-config-'));
  try {
    const path = join(dir, 'metacrypt.toml');
    await writeFile(path, text);
    fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('deploy/examples/metacrypt.toml is a valid config', () => {
  const config = loadMetacryptConfig(example, {});
  assert.equal(config.server.grpc_addr, '0.0.0.0:9443');
  assert.equal(config.seal.argon2_memory_kib, 65536);
  assert.equal(config.acme.http01_port, 80);
  assert.equal(config.web?.vault_grpc, '127.0.0.1:9443');
});

test('defaults fill in the optional sections', async () => {
  await withConfig(minimal, (path) => {
    const c = loadMetacryptConfig(path, {});
    assert.deepEqual(c.seal, { argon2_time: 3, argon2_memory_kib: 65536, argon2_parallelism: 4, unseal_password_file: '' });
    assert.deepEqual(c.acme, { enabled: true, external_url: '', dns_resolver: '', http01_port: 80, http01_address: '' });
    assert.deepEqual(c.audit, { enabled: true });
    assert.equal(c.log.level, 'info');
    assert.equal(c.web, undefined);
  });
});

test('refuses unknown keys and bad values, naming the key', async () => {
  await withConfig(`${minimal}\n[seal]\nargon2_time = 0\nshamir = true\n`, (path) => {
    assert.throws(
      () => loadMetacryptConfig(path, {}),
      (err: Error) => /seal/.test(err.message) && /shamir/.test(err.message),
    );
  });
  await withConfig(`${minimal}\n[acme]\nhttp01_port = 70000\n`, (path) => {
    assert.throws(() => loadMetacryptConfig(path, {}), /http01_port/);
  });
  await withConfig(minimal.replace('tls_key = "/k.pem"', ''), (path) => {
    assert.throws(() => loadMetacryptConfig(path, {}), /tls_key/);
  });
});

test('env overrides and $PORT_GRPC apply', async () => {
  await withConfig(minimal, (path) => {
    const c = loadMetacryptConfig(path, { METACRYPT_ACME_HTTP01_PORT: '5002', PORT_GRPC: '19443' });
    assert.equal(c.acme.http01_port, 5002);
    assert.match(c.server.grpc_addr ?? '', /19443$/);
  });
});
