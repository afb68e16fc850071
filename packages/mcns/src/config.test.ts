import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@metacircular/mcdsl';
import { loadMcnsConfig, seedOf } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'mcns-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base = `
[server]
listen_addr = "127.0.0.1:8443"
grpc_addr = "127.0.0.1:9443"
tls_cert = "/srv/mcns/certs/cert.pem"
tls_key = "/srv/mcns/certs/key.pem"
[database]
path = "/srv/mcns/mcns.db"
[mcias]
server_url = "https://mcias.example.net:8443"
service_name = "mcns"
`;

function load(text: string, env: NodeJS.ProcessEnv = {}) {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(path, text);
  return loadMcnsConfig(path, env);
}

function problem(text: string): string {
  try {
    load(text);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  return assert.fail('the config was accepted');
}

describe('mcns config', () => {
  it('applies the defaults: DNS on :53, no upstreams, no seed', () => {
    const config = load(base);
    assert.deepEqual(config.dns.listen_addr, [':53']);
    assert.deepEqual(config.dns.upstreams, []);
    assert.equal(config.dns.forward_timeout, 2000);
    assert.deepEqual([config.zones, config.records], [[], []]);
    assert.equal(config.log.level, 'info');
  });

  it('reads [[zones]] and [[records]] into the store seed', () => {
    const config = load(
      `${base}
[[zones]]
name = "svc.mcp.example.net"
primary_ns = "ns.mcp.example.net"
admin_email = "hostmaster@example.net"
minimum_ttl = 60
[[records]]
zone = "svc.mcp.example.net."
name = "metacrypt"
type = "A"
value = "192.0.2.1"
ttl = 120
`,
    );
    assert.deepEqual(seedOf(config), {
      zones: [
        { name: 'svc.mcp.example.net', primaryNs: 'ns.mcp.example.net', adminEmail: 'hostmaster@example.net', minimumTtl: 60 },
      ],
      records: [{ zone: 'svc.mcp.example.net.', name: 'metacrypt', type: 'A', value: '192.0.2.1', ttl: 120 }],
    });
  });

  it('refuses a seed record whose zone is not one of the [[zones]], naming it', () => {
    const message = problem(`${base}
[[records]]
zone = "other.example.net"
name = "x"
type = "A"
value = "192.0.2.1"
`);
    assert.match(message, /records\.0\.zone|records\[0\]\.zone|records.*zone/);
    assert.match(message, /"other\.example\.net" is not one of the \[\[zones\]\]/);
  });

  it('refuses unknown keys and a seed zone missing its SOA names', () => {
    assert.match(problem(`${base}[dns]\nlisten = ":53"\n`), /listen/);
    assert.match(problem(`${base}[[zones]]\nname = "a.example.net"\n`), /primary_ns/);
  });

  it('$PORT, $PORT_GRPC and $PORT_DNS override the three listeners, keeping their hosts', () => {
    const config = load(`${base}[dns]\nlisten_addr = "127.0.0.1:53"\n`, { PORT: '18443', PORT_GRPC: '19443', PORT_DNS: '10053' });
    assert.equal(config.server.listen_addr, '127.0.0.1:18443');
    assert.equal(config.server.grpc_addr, '127.0.0.1:19443');
    assert.deepEqual(config.dns.listen_addr, ['127.0.0.1:10053']);
    assert.deepEqual(load(base, { PORT_DNS: '5353' }).dns.listen_addr, [':5353']);
  });

  it('MCNS_<SECTION>_<KEY> overrides a key', () => {
    assert.equal(load(base, { MCNS_LOG_LEVEL: 'debug' }).log.level, 'debug');
  });

  it('deploy/examples/mcns.toml is a valid config', () => {
    const example = [
      new URL('../../../deploy/examples/mcns.toml', import.meta.url),
      new URL('../../../../deploy/examples/mcns.toml', import.meta.url),
    ]
      .map((u) => fileURLToPath(u))
      .find((p) => existsSync(p))!;
    const config = loadMcnsConfig(example, {});
    assert.equal(config.server.listen_addr, '0.0.0.0:8443');
    assert.deepEqual(config.dns.upstreams, [
      { host: '1.1.1.1', port: 53 },
      { host: '8.8.8.8', port: 53 },
    ]);
    assert.deepEqual(
      config.zones.map((z) => z.name),
      ['svc.mcp.metacircular.net', 'mcp.metacircular.net'],
    );
    assert.equal(config.records.length, 3);
  });
});
