import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import type { PortMap } from '../ports.js';
import { findPackageDir, locateServiceEntry } from './locate-service.js';
import type { ServiceContext } from './service-definition.js';
import { serviceDefinitions } from './service-definitions.js';
import { validateRegistry } from './validate-registry.js';

const here = dirname(fileURLToPath(import.meta.url));

function contextFor(name: string, ports: readonly string[]): ServiceContext {
  const peers: Record<string, PortMap> = {};
  let next = 20000;
  for (const definition of serviceDefinitions) {
    peers[definition.name] = Object.fromEntries(definition.ports.map((p) => [p, next++]));
  }
  return {
    name,
    domain: 'example.internal',
    hostname: `${name}.svc.mcp.example.internal`,
    platformDir: '/p',
    dataDir: `/p/${name}`,
    configPath: `/p/${name}/${name}.toml`,
    certPath: `/p/${name}/certs/cert.pem`,
    keyPath: `/p/${name}/certs/key.pem`,
    caCertPath: '/p/pki/ca.pem',
    logPath: `/p/logs/${name}.log`,
    secretsDir: '/p/secrets',
    entry: `/x/${name}.js`,
    ports: peers[name] ?? Object.fromEntries(ports.map((p, i) => [p, 30000 + i])),
    peers,
    admin: { username: 'admin', passwordFile: '/p/secrets/admin.password' },
    systemTokenFiles: Object.fromEntries(serviceDefinitions.map((d) => [d.name, `/p/secrets/${d.name}.token`])),
  };
}

test('the registry lists the services in bootstrap order and is valid', () => {
  assert.deepEqual(
    serviceDefinitions.map((d) => d.name),
    ['mcias', 'mcat', 'metacrypt', 'mc-proxy', 'mcr', 'mcns', 'mcp-agent', 'mcdoc'],
  );
  validateRegistry(serviceDefinitions);
});

test('MCIAS, MCAT, Metacrypt and MCNS have packages in the workspace; the other services have none yet', () => {
  // Each service's issue adds its package; this test changes with it. Whether the packages
  // are compiled is up to the build, so only their presence is checked here.
  const withPackage = serviceDefinitions.filter((d) => findPackageDir(d.package, here) !== undefined).map((d) => d.name);
  assert.deepEqual(withPackage, ['mcias', 'mcat', 'metacrypt', 'mcns']);
  for (const definition of serviceDefinitions.filter((d) => !withPackage.includes(d.name))) {
    assert.equal(locateServiceEntry(definition), undefined, definition.name);
  }
});

test('every generated config parses, and every address in it and in the endpoints is loopback', () => {
  for (const definition of serviceDefinitions) {
    const ctx = contextFor(definition.name, definition.ports);
    const text = definition.writeConfig(ctx);
    assert.doesNotThrow(() => parse(text), definition.name);
    const addresses = [...text.matchAll(/"([\w.-]*:\d+)"/g)].map((m) => m[1]);
    assert.ok(addresses.length > 0, `${definition.name} listens somewhere`);
    for (const address of addresses) assert.match(String(address), /^127\.0\.0\.1:\d+$/, `${definition.name}: ${address}`);
    assert.doesNotMatch(text, /0\.0\.0\.0|":\d+"/, `${definition.name} binds beyond loopback`);
    assert.match(definition.healthUrl(ctx.ports), /^(https|http|tcp):\/\/127\.0\.0\.1:\d+/);
    for (const [key, value] of Object.entries(definition.endpoints(ctx))) {
      assert.doesNotMatch(key, /^(state|pid|health|config|data_dir|log)$/);
      assert.doesNotMatch(String(value), /0\.0\.0\.0/);
    }
    const command = definition.command(ctx);
    assert.equal(command.bin, ctx.entry);
  }
});

test('a service wires itself to MCIAS over HTTPS with the platform CA', () => {
  const metacrypt = serviceDefinitions.find((d) => d.name === 'metacrypt');
  assert.ok(metacrypt !== undefined);
  const ctx = contextFor('metacrypt', metacrypt.ports);
  const config = parse(metacrypt.writeConfig(ctx)) as { mcias: Record<string, unknown> };
  assert.deepEqual(
    { ...config.mcias },
    {
      server_url: `https://127.0.0.1:${ctx.peers['mcias']?.['rest']}`,
      ca_cert: '/p/pki/ca.pem',
      service_name: 'metacrypt',
      tags: [],
    },
  );
});

test('validateRegistry refuses duplicate, reserved and malformed names', () => {
  const [first] = serviceDefinitions;
  assert.ok(first !== undefined);
  assert.throws(() => validateRegistry([first, first]), /listed twice/);
  assert.throws(() => validateRegistry([{ ...first, name: 'secrets' }]), /service name 'secrets' is invalid/);
  assert.throws(() => validateRegistry([{ ...first, name: '../x' }]), /is invalid/);
  assert.throws(() => validateRegistry([{ ...first, ports: ['rest', 'rest'] }]), /port name twice/);
  assert.throws(() => validateRegistry([{ ...first, ports: ['Rest!'] }]), /declares port 'Rest!'/);
});

test('MCIAS unseals from a key file in secrets/ and names its REST URL as the token issuer', () => {
  const mcias = serviceDefinitions.find((d) => d.name === 'mcias');
  assert.ok(mcias !== undefined);
  assert.equal(mcias.issuesSystemTokens, true);
  const ctx = contextFor('mcias', mcias.ports);
  const rest = `https://127.0.0.1:${ctx.ports['rest']}`;
  const config = JSON.parse(JSON.stringify(parse(mcias.writeConfig(ctx)))) as Record<string, unknown>;
  assert.deepEqual(config, {
    server: {
      listen_addr: `127.0.0.1:${ctx.ports['rest']}`,
      grpc_addr: `127.0.0.1:${ctx.ports['grpc']}`,
      tls_cert: ctx.certPath,
      tls_key: ctx.keyPath,
    },
    database: { path: '/p/mcias/mcias.db' },
    tokens: { issuer: rest },
    master_key: { keyfile: '/p/secrets/mcias-master.key' },
    log: { level: 'info' },
  });
  assert.deepEqual(mcias.endpoints(ctx), {
    rest,
    grpc: `127.0.0.1:${ctx.ports['grpc']}`,
    jwks: `${rest}/.well-known/jwks.json`,
    web: `${rest}/`,
  });
  assert.equal(mcias.healthUrl(ctx.ports), `${rest}/v1/health`);
});

test('MCAT serves one HTTPS web port, has no gRPC, and tests logins as service mcat', () => {
  const mcat = serviceDefinitions.find((d) => d.name === 'mcat');
  assert.ok(mcat !== undefined);
  assert.deepEqual(mcat.ports, ['web']);
  const ctx = contextFor('mcat', mcat.ports);
  const web = `127.0.0.1:${ctx.ports['web']}`;
  const config = JSON.parse(JSON.stringify(parse(mcat.writeConfig(ctx)))) as Record<string, unknown>;
  assert.deepEqual(config, {
    server: { listen_addr: web, tls_cert: ctx.certPath, tls_key: ctx.keyPath },
    mcias: {
      server_url: `https://127.0.0.1:${ctx.peers['mcias']?.['rest']}`,
      ca_cert: '/p/pki/ca.pem',
      service_name: 'mcat',
      tags: [],
    },
    log: { level: 'info' },
  });
  assert.equal(mcat.healthUrl(ctx.ports), `https://${web}/v1/health`);
  assert.deepEqual(mcat.endpoints(ctx), { web: `https://${web}/` });
});
