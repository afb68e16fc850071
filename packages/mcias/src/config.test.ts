import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMciasConfig } from './config.js';

const base = `[server]
listen_addr = ":8443"
tls_cert = "/srv/mcias/cert.pem"
tls_key = "/srv/mcias/key.pem"
[database]
path = "/srv/mcias/mcias.db"
[tokens]
issuer = "https://mcias.example"
`;

describe('mcias config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcias-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (text: string, env: NodeJS.ProcessEnv = {}) => {
    const path = join(dir, `c${Math.random()}.toml`);
    writeFileSync(path, text);
    return loadMciasConfig(path, env);
  };

  it('applies the documented defaults', () => {
    const c = load(base);
    assert.equal(c.tokens.default_expiry, 720 * 3_600_000);
    assert.equal(c.tokens.admin_expiry, 8 * 3_600_000);
    assert.equal(c.tokens.service_expiry, 8760 * 3_600_000);
    assert.deepEqual(c.argon2, { time: 3, memory: 65536, threads: 4 });
    assert.deepEqual(c.master_key, { kind: 'passphrase', passphrase_env: 'MCIAS_MASTER_PASSPHRASE' });
    assert.deepEqual(c.lockout, { max_failures: 5, window: 900_000, duration: 900_000 });
    assert.equal(c.server.grpc_addr, undefined);
  });

  it('refuses Argon2 below the floor, both key sources, a missing issuer and unknown keys', () => {
    assert.throws(() => load(base + '[argon2]\nmemory = 32768\n'), /\[argon2\] memory: must be at least 65536/);
    assert.throws(() => load(base + '[argon2]\ntime = 1\n'), /\[argon2\] time: must be at least 2/);
    assert.throws(() => load(base + '[master_key]\npassphrase_env = "X"\nkeyfile = "/k"\n'), /not both/);
    assert.throws(() => load(base.replace('issuer = "https://mcias.example"', '')), /\[tokens\] issuer/);
    assert.throws(() => load(base + '[tokens.extra]\nx = 1\n'), /extra/);
    assert.throws(() => load(base + '[lockout]\nwindow = "0s"\n'), /\[lockout\] window/);
  });

  it('reads a key file setting and env overrides', () => {
    const c = load(base + '[master_key]\nkeyfile = "/srv/mcias/master.key"\n', {
      MCIAS_TOKENS_ADMIN_EXPIRY: '1h',
      PORT_GRPC: '9443',
    });
    assert.deepEqual(c.master_key, { kind: 'keyfile', keyfile: '/srv/mcias/master.key' });
    assert.equal(c.tokens.admin_expiry, 3_600_000);
    assert.equal(c.server.grpc_addr, ':9443');
  });
});
