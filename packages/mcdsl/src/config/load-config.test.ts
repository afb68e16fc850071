import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, baseConfigSchema, duration, loadConfig } from './index.js';

const baseToml = `
[server]
listen_addr = "127.0.0.1:8443"
tls_cert = "/srv/mcr/certs/cert.pem"
tls_key = "/srv/mcr/certs/key.pem"

[database]
path = "/srv/mcr/mcr.db"

[mcias]
server_url = "https://mcias.example.net:8443"
service_name = "mcr"
`;

// A service tree with its own sections, to exercise coercion, nested tables and records.
const serviceSchema = baseConfigSchema.extend({
  web: z.strictObject({ listen_addr: z.string().default('127.0.0.1:8080') }).prefault({}),
  storage: z
    .strictObject({
      max_blob_mb: z.number().int().positive().default(512),
      read_only: z.boolean().default(false),
      mirrors: z.array(z.string()).default([]),
      ports: z.array(z.number()).default([]),
      gc: z.strictObject({ interval: duration('24h'), enabled: z.boolean().default(true) }).prefault({}),
    })
    .prefault({}),
  engines: z.record(z.string(), z.strictObject({ type: z.string(), max_ttl: duration('8760h') })).default({}),
});

let dir: string;
let n = 0;
function writeConfig(text: string): string {
  const path = join(dir, `config-${++n}.toml`);
  writeFileSync(path, text);
  return path;
}
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'ERR_CONFIG');
    return err;
  }
  assert.fail('expected a ConfigError');
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcdsl-config-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('reads a valid file and applies the documented defaults', () => {
    const config = loadConfig({ path: writeConfig(baseToml), service: 'mcr', schema: baseConfigSchema, env: {} });
    assert.deepEqual(config, {
      server: {
        listen_addr: '127.0.0.1:8443',
        tls_cert: '/srv/mcr/certs/cert.pem',
        tls_key: '/srv/mcr/certs/key.pem',
        read_timeout: 30_000,
        write_timeout: 30_000,
        idle_timeout: 120_000,
      },
      database: { path: '/srv/mcr/mcr.db' },
      mcias: { server_url: 'https://mcias.example.net:8443', ca_cert: '', service_name: 'mcr', tags: [] },
      log: { level: 'info' },
    });
  });

  it('gives precedence file < <SERVICE>_<SECTION>_<KEY> < $PORT', () => {
    const path = writeConfig(baseToml);
    const load = (env: NodeJS.ProcessEnv) => loadConfig({ path, service: 'mcr', schema: serviceSchema, env });
    assert.equal(load({}).server.listen_addr, '127.0.0.1:8443');
    assert.equal(load({ MCR_SERVER_LISTEN_ADDR: '10.1.2.3:7000' }).server.listen_addr, '10.1.2.3:7000');
    // $PORT wins over both, keeping the host of whatever address it replaces.
    assert.equal(load({ MCR_SERVER_LISTEN_ADDR: '10.1.2.3:7000', PORT: '9000' }).server.listen_addr, '10.1.2.3:9000');
    assert.equal(load({ PORT: '9000' }).server.listen_addr, '127.0.0.1:9000');
    // Other services' variables and unrelated env are ignored.
    assert.equal(load({ MCNS_SERVER_LISTEN_ADDR: ':1', SERVER_LISTEN_ADDR: ':2' }).server.listen_addr, '127.0.0.1:8443');
  });

  it('maps $PORT_GRPC and $PORT_<NAME>, and ignores ports the schema has no slot for', () => {
    const path = writeConfig(baseToml.replace('listen_addr = "127.0.0.1:8443"', 'listen_addr = ":8443"'));
    const config = loadConfig({
      path,
      service: 'mcr',
      schema: serviceSchema,
      env: { PORT: '18443', PORT_GRPC: '19443', PORT_WEB: '18080', PORT_METRICS: '9100', MCR_SERVER_GRPC_ADDR: ':1' },
    });
    assert.equal(config.server.listen_addr, ':18443');
    assert.equal(config.server.grpc_addr, ':19443');
    assert.equal(config.web.listen_addr, '127.0.0.1:18080');
    assert.ok(!('metrics' in config));
  });

  it('refuses a $PORT that is not a port number, naming the variable', () => {
    const path = writeConfig(baseToml);
    for (const bad of ['0', '65536', 'http', '80a', '']) {
      const err = configError(() => loadConfig({ path, service: 'mcr', schema: baseConfigSchema, env: { PORT: bad } }));
      assert.match(err.message, /\[server\] listen_addr: \$PORT must be a port number from 1 to 65535/);
    }
  });

  it('coerces env strings to numbers, booleans and arrays, in nested tables and records too', () => {
    const path = writeConfig(`${baseToml}\n[engines.ca]\ntype = "x509"\n`);
    const config = loadConfig({
      path,
      service: 'mcr',
      schema: serviceSchema,
      env: {
        MCR_STORAGE_MAX_BLOB_MB: '2048',
        MCR_STORAGE_READ_ONLY: 'true',
        MCR_STORAGE_MIRRORS: 'a.example, b.example',
        MCR_STORAGE_PORTS: '[80, 443]',
        MCR_STORAGE_GC_INTERVAL: '1h30m',
        MCR_STORAGE_GC_ENABLED: 'no',
        MCR_ENGINES_CA_MAX_TTL: '720h',
        MCR_MCIAS_TAGS: '',
        MCR_LOG_LEVEL: 'debug',
      },
    });
    assert.deepEqual(config.storage, {
      max_blob_mb: 2048,
      read_only: true,
      mirrors: ['a.example', 'b.example'],
      ports: [80, 443],
      gc: { interval: 5_400_000, enabled: false },
    });
    assert.deepEqual(config.engines, { ca: { type: 'x509', max_ttl: 720 * 3_600_000 } });
    assert.deepEqual(config.mcias.tags, []);
    assert.equal(config.log.level, 'debug');
  });

  it('names the env variable when an overridden value is invalid', () => {
    const path = writeConfig(baseToml);
    const err = configError(() =>
      loadConfig({ path, service: 'mcr', schema: serviceSchema, env: { MCR_STORAGE_MAX_BLOB_MB: 'lots' } }),
    );
    assert.equal(
      err.message,
      `config ${path}: [storage] max_blob_mb: expected number, got string (from $MCR_STORAGE_MAX_BLOB_MB)`,
    );
  });

  it('turns dashes in the service name into underscores', () => {
    const path = writeConfig(baseToml);
    const config = loadConfig({ path, service: 'mc-proxy', schema: baseConfigSchema, env: { MC_PROXY_DATABASE_PATH: '/x.db' } });
    assert.equal(config.database.path, '/x.db');
  });

  it('names the file and key path of a missing required value', () => {
    const path = writeConfig(baseToml.replace('tls_cert = "/srv/mcr/certs/cert.pem"\n', ''));
    const err = configError(() => loadConfig({ path, service: 'mcr', schema: baseConfigSchema, env: {} }));
    assert.equal(err.message, `config ${path}: [server] tls_cert: required value is missing`);
    assert.equal(err.file, path);
    assert.deepEqual(err.issues, [{ path: ['server', 'tls_cert'], message: 'required value is missing' }]);
  });

  it('reports every problem at once: missing section, empty value, bad enum, bad type, bad URL', () => {
    const path = writeConfig(`
[server]
listen_addr = ""
tls_cert = "c"
tls_key = "k"
read_timeout = 30
[mcias]
server_url = "http://plain.example"
service_name = "mcr"
tags = ["a", 2]
[log]
level = "verbose"
`);
    const err = configError(() => loadConfig({ path, service: 'mcr', schema: baseConfigSchema, env: {} }));
    const messages = err.issues.map((i) => i.message);
    assert.ok(err.message.startsWith(`config ${path}: `));
    assert.match(err.message, /\[server\] listen_addr: must not be empty/);
    assert.match(err.message, /\[server\] read_timeout: expected string, got number/);
    assert.match(err.message, /\[database\]: required section is missing/);
    assert.match(err.message, /\[mcias\] server_url: must be an https:\/\/ URL/);
    assert.match(err.message, /\[mcias\] tags\[1\]: expected string, got number/);
    assert.match(err.message, /\[log\] level: must be one of "debug", "info", "warn", "error"/);
    assert.equal(messages.length, 6);
  });

  it('refuses unknown keys and sections, even under a non-strict z.object', () => {
    const path = writeConfig(`${baseToml}\n[server.extra]\nx = 1\n[sevrer]\nlisten_addr = ":1"\n`.replace('tls_key', 'tls_kye'));
    const err = configError(() => loadConfig({ path, service: 'mcr', schema: baseConfigSchema, env: {} }));
    assert.match(err.message, /\[server\] tls_kye: unknown key; check its spelling or remove it/);
    assert.match(err.message, /\[server\.extra\]: unknown section/);
    assert.match(err.message, /\[sevrer\]: unknown section/);
    assert.match(err.message, /\[server\] tls_key: required value is missing/);
    // Each unknown key is reported once although zod's strictObject also reports it.
    assert.equal(err.message.split('tls_kye').length, 2);

    const loose = z.object({ name: z.string() });
    const err2 = configError(() =>
      loadConfig({ path: writeConfig('name = "x"\nnmae = "y"\n'), service: 's', schema: loose, env: {} }),
    );
    assert.match(err2.message, /: nmae: unknown key/);
  });

  it('names file, line and column of a TOML syntax error', () => {
    const path = writeConfig('[server]\nlisten_addr = ":8443"\ntls_cert = \n');
    const err = configError(() => loadConfig({ path, service: 'mcr', schema: baseConfigSchema, env: {} }));
    assert.match(err.message, new RegExp(`^config ${path}:3:\\d+: invalid TOML: `));
  });

  it('says clearly that the file is missing', () => {
    const path = join(dir, 'nope.toml');
    const err = configError(() => loadConfig({ path, service: 'mcr', schema: baseConfigSchema, env: {} }));
    assert.equal(err.message, `config ${path}: file not found; create it (see deploy/examples/) or point --config at it`);
  });

  it('never echoes a value in its messages', () => {
    const path = writeConfig(baseToml.replace('service_name = "mcr"', 'service_name = "mcr"\npassword = "hunter2-secret"'));
    const err = configError(() => loadConfig({ path, service: 'mcr', schema: baseConfigSchema, env: {} }));
    assert.ok(!err.message.includes('hunter2-secret'));
    assert.match(err.message, /\[mcias\] password: unknown key/);
  });
});
