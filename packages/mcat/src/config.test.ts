import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@metacircular/mcdsl';
import { loadMcatConfig } from './config.js';

const full = `
[server]
listen_addr = ":8443"
tls_cert = "/srv/mcat/certs/cert.pem"
tls_key = "/srv/mcat/certs/key.pem"

[mcias]
server_url = "https://mcias.metacircular.net:8443"
ca_cert = "/srv/mcat/certs/ca.pem"
service_name = "mcat"
tags = ["env:restricted"]

[log]
level = "debug"
`;

describe('loadMcatConfig', () => {
  let dir: string;
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcat-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads the standard sections and fills in the documented defaults', async () => {
    const config = loadMcatConfig(await write('full.toml', full), {});
    assert.equal(config.server.listen_addr, ':8443');
    assert.equal(config.server.read_timeout, 30_000);
    assert.equal(config.server.idle_timeout, 120_000);
    assert.equal(config.mcias.service_name, 'mcat');
    assert.deepEqual(config.mcias.tags, ['env:restricted']);
    assert.equal(config.log.level, 'debug');

    const minimal = full
      .replace(/ca_cert = .*\n/, '')
      .replace(/tags = .*\n/, '')
      .replace(/\[log\][^]*$/, '');
    const defaults = loadMcatConfig(await write('minimal.toml', minimal), {});
    assert.equal(defaults.mcias.ca_cert, '');
    assert.deepEqual(defaults.mcias.tags, []);
    assert.equal(defaults.log.level, 'info');
  });

  it('takes MCAT_* env overrides and $PORT', async () => {
    const config = loadMcatConfig(await write('env.toml', full), { MCAT_MCIAS_SERVICE_NAME: 'mcr', PORT: '9000' });
    assert.equal(config.mcias.service_name, 'mcr');
    assert.equal(config.server.listen_addr, ':9000');
  });

  it('refuses to start without a service_name, naming the key and the file', async () => {
    const path = await write('no-service.toml', full.replace(/service_name = .*\n/, ''));
    assert.throws(
      () => loadMcatConfig(path, {}),
      (err: unknown) => err instanceof ConfigError && err.message.includes(path) && err.message.includes('[mcias] service_name'),
    );
  });

  it('refuses grpc_addr (MCAT has no gRPC API) and plain http MCIAS URLs', async () => {
    const grpc = await write('grpc.toml', full.replace('[server]\n', '[server]\ngrpc_addr = ":9443"\n'));
    assert.throws(() => loadMcatConfig(grpc, {}), /\[server\] grpc_addr/);
    const http = await write('http.toml', full.replace('https://mcias', 'http://mcias'));
    assert.throws(() => loadMcatConfig(http, {}), /\[mcias\] server_url: must be an https:\/\/ URL/);
  });
});
