import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import type { ServiceContext } from '../service-definition.js';
import { mcns, mcnsSeed } from './mcns.js';

const ctx = {
  name: 'mcns',
  domain: 'example.internal',
  dataDir: '/p/mcns',
  configPath: '/p/mcns/mcns.toml',
  certPath: '/p/mcns/certs/cert.pem',
  keyPath: '/p/mcns/certs/key.pem',
  caCertPath: '/p/pki/ca.pem',
  platformDir: '/p',
  entry: '/x/mcns.js',
  ports: { dns: 20053, rest: 20443, grpc: 20444 },
  peers: {
    mcias: { rest: 10443, grpc: 10444 },
    mcat: { web: 11443 },
    mcns: { dns: 20053, rest: 20443, grpc: 20444 },
    'mcp-agent': { grpc: 30444 },
  },
} as unknown as ServiceContext;

test('the config seeds both platform zones, the ns record and one A record per service of the run', () => {
  // smol-toml makes null-prototype tables; a JSON round trip gives plain objects to compare.
  const config = JSON.parse(JSON.stringify(parse(mcns.writeConfig(ctx)))) as {
    dns: { listen_addr: string; upstreams: string[] };
    mcias: { server_url: string; service_name: string };
    zones: Array<Record<string, unknown>>;
    records: Array<Record<string, unknown>>;
  };
  assert.deepEqual(config.dns, { listen_addr: '127.0.0.1:20053', upstreams: [] });
  assert.deepEqual(config.mcias.server_url, 'https://127.0.0.1:10443');
  assert.deepEqual(config.zones, [
    { name: 'svc.mcp.example.internal', primary_ns: 'ns.mcp.example.internal', admin_email: 'hostmaster@example.internal' },
    { name: 'mcp.example.internal', primary_ns: 'ns.mcp.example.internal', admin_email: 'hostmaster@example.internal' },
  ]);
  assert.deepEqual(
    config.records.map((r) => `${String(r['name'])}.${String(r['zone'])} ${String(r['type'])} ${String(r['value'])}`),
    [
      'ns.mcp.example.internal A 127.0.0.1',
      'mcias.svc.mcp.example.internal A 127.0.0.1',
      'mcat.svc.mcp.example.internal A 127.0.0.1',
      'mcns.svc.mcp.example.internal A 127.0.0.1',
      'mcp-agent.svc.mcp.example.internal A 127.0.0.1',
    ],
  );
});

test('only the services of the run get records', () => {
  const only = mcnsSeed({ domain: 'd.test', peers: { mcias: {}, mcns: {} } });
  assert.deepEqual(
    only.records.map((r) => r['name']),
    ['ns', 'mcias', 'mcns'],
  );
});

test('platform.json gets the DNS address, REST, gRPC and the zones', () => {
  assert.deepEqual(mcns.endpoints(ctx), {
    dns: '127.0.0.1:20053',
    rest: 'https://127.0.0.1:20443',
    grpc: '127.0.0.1:20444',
    zones: ['svc.mcp.example.internal', 'mcp.example.internal'],
  });
  assert.equal(mcns.healthUrl(ctx.ports), 'https://127.0.0.1:20443/v1/health');
  assert.deepEqual(mcns.udpPorts, ['dns']);
});
