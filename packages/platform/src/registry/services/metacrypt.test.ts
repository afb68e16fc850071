import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as x509 from '@peculiar/x509';
import { parse } from 'smol-toml';
import { newKeyPair, provider, randomSerial, signingAlgorithm, validityFor } from '../../pki/key-material.js';
import { ensureRootCA } from '../../pki/root-ca.js';
import type { RootCA } from '../../pki/root-ca.js';
import { ensureServiceCert, serviceSubjectAltNames } from '../../pki/service-cert.js';
import type { ServiceCertRequest } from '../../pki/service-cert.js';
import type { PortMap } from '../../ports.js';
import type { ServiceContext } from '../service-definition.js';
import { metacrypt } from './metacrypt.js';
import { mcpAgentRule, metacryptPasswordFile, sameRule } from './metacrypt-bootstrap.js';
import { isCurrentLeaf, leafRequest } from './metacrypt-service-certs.js';

const root = mkdtempSync(join(tmpdir(), 'mc-metacrypt-'));
after(() => rmSync(root, { recursive: true, force: true }));

function context(peers: Record<string, PortMap>): ServiceContext {
  return {
    name: 'metacrypt',
    domain: 'example.internal',
    hostname: 'metacrypt.svc.mcp.example.internal',
    platformDir: '/p',
    dataDir: '/p/metacrypt',
    configPath: '/p/metacrypt/metacrypt.toml',
    certPath: '/p/metacrypt/certs/cert.pem',
    keyPath: '/p/metacrypt/certs/key.pem',
    caCertPath: '/p/pki/ca.pem',
    logPath: '/p/logs/metacrypt.log',
    secretsDir: root,
    entry: '/x/metacrypt.js',
    ports: peers['metacrypt'] ?? {},
    peers,
    admin: { username: 'admin', passwordFile: '/p/secrets/admin.password' },
    systemTokenFiles: {},
  };
}

const ports = { rest: 41000, grpc: 41001, web: 41002, acme_http01: 41003 };
const mcias = { rest: 40000, grpc: 40001 };

test('metacrypt serves rest, grpc and web, and keeps a TCP port for ACME HTTP-01 validation', () => {
  assert.deepEqual(metacrypt.ports, ['rest', 'grpc', 'web', 'acme_http01']);
  assert.equal(metacrypt.udpPorts, undefined);
  assert.equal(typeof metacrypt.afterStart, 'function');
  assert.equal(typeof metacrypt.issueServiceCert, 'function');
  assert.equal(metacrypt.healthUrl(ports), 'https://127.0.0.1:41000/v1/health');
});

test('the config points ACME at MCNS for DNS-01 when MCNS is built, and at a loopback HTTP-01 port', () => {
  const config = parse(metacrypt.writeConfig(context({ mcias, metacrypt: ports, mcns: { dns: 42000, rest: 42001 } })));
  assert.deepEqual(JSON.parse(JSON.stringify(config)), {
    server: {
      listen_addr: '127.0.0.1:41000',
      grpc_addr: '127.0.0.1:41001',
      tls_cert: '/p/metacrypt/certs/cert.pem',
      tls_key: '/p/metacrypt/certs/key.pem',
    },
    web: {
      listen_addr: '127.0.0.1:41002',
      vault_grpc: '127.0.0.1:41001',
      vault_ca_cert: '/p/pki/ca.pem',
      tls_cert: '/p/metacrypt/certs/cert.pem',
      tls_key: '/p/metacrypt/certs/key.pem',
    },
    database: { path: '/p/metacrypt/metacrypt.db' },
    mcias: { server_url: 'https://127.0.0.1:40000', ca_cert: '/p/pki/ca.pem', service_name: 'metacrypt', tags: [] },
    seal: { unseal_password_file: join(root, 'metacrypt.password') },
    acme: {
      enabled: true,
      external_url: 'https://127.0.0.1:41000',
      dns_resolver: '127.0.0.1:42000',
      http01_port: 41003,
      http01_address: '127.0.0.1',
    },
    log: { level: 'info' },
  });
  // Without MCNS the resolver is left unset: Metacrypt then uses the system resolver.
  const alone = parse(metacrypt.writeConfig(context({ mcias, metacrypt: ports }))) as { acme: Record<string, unknown> };
  assert.equal('dns_resolver' in alone.acme, false);
  assert.equal(alone.acme['http01_port'], 41003);
});

test('platform.json gets the API endpoints, the ACME directory and HTTP-01 port, and the mount names', () => {
  assert.deepEqual(metacrypt.endpoints(context({ mcias, metacrypt: ports })), {
    rest: 'https://127.0.0.1:41000',
    grpc: '127.0.0.1:41001',
    web: 'https://127.0.0.1:41002',
    acme_directory: 'https://127.0.0.1:41000/acme/pki/directory',
    acme_http01_port: 41003,
    pki_mount: 'pki',
    ssh_mount: 'ssh',
    transit_mount: 'transit',
  });
});

test('prepare makes the unseal password once (32 random bytes, base64url, 0600) and never replaces it', () => {
  const ctx = context({ metacrypt: ports });
  const file = metacryptPasswordFile(ctx);
  assert.equal(file, join(root, 'metacrypt.password'));
  metacrypt.prepare?.(ctx);
  const password = readFileSync(file, 'utf8');
  assert.match(password, /^[A-Za-z0-9_-]{43}\n$/);
  assert.equal(Buffer.from(password.trim(), 'base64url').length, 32);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  chmodSync(file, 0o644);
  metacrypt.prepare?.(ctx);
  assert.equal(readFileSync(file, 'utf8'), password, 'the barrier only opens with the password it was initialized with');
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('the mcp-agent rule allows issue and renew on the infra issuer for one label under svc.mcp.<domain>, no wildcards', () => {
  const rule = mcpAgentRule('example.internal');
  assert.deepEqual(rule, {
    name: 'mcp-agent internal certs',
    priority: 100,
    effect: 'allow',
    usernames: ['mcp-agent'],
    roles: [],
    account_types: ['system'],
    resources: ['ca/pki/issuer/infra'],
    actions: ['issue', 'renew'],
    conditions: {
      allowed_sans: ['*.svc.mcp.example.internal'],
      denied_sans: [],
      max_ttl: '2160h',
      allow_wildcard_sans: false,
    },
  });
  // As Metacrypt stores it (with an id and timestamps) it is the same rule; another domain is not.
  const stored = { ...rule, id: 'b0c1', created_at: '2030-01-01T00:00:00Z' };
  assert.equal(sameRule(stored, rule), true);
  assert.equal(sameRule(mcpAgentRule('other.internal'), rule), false);
  assert.equal(sameRule({ ...rule, conditions: { ...rule.conditions, allow_wildcard_sans: true } }, rule), false);
});

test('a service leaf is asked for with its hostname as CN, DNS and IP SANs apart, for TLS and mTLS', () => {
  const hostname = 'mcns.svc.mcp.example.internal';
  const request = { hostname, subjectAltNames: serviceSubjectAltNames(hostname), certPath: '/c', keyPath: '/k' };
  assert.deepEqual(leafRequest(request), {
    issuer: 'infra',
    common_name: hostname,
    sans: [hostname, 'localhost'],
    ip_sans: ['127.0.0.1'],
    profile: 'peer',
    ttl: '8760h',
  });
});

/** intermediateUnder makes a CA certificate signed by `parent`, shaped as a RootCA so ensureServiceCert signs with it. */
async function intermediateUnder(parent: RootCA, name: string): Promise<RootCA> {
  const keys = await newKeyPair();
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: `CN=${name}`,
      issuer: parent.certificate.subject,
      publicKey: keys.publicKey,
      signingKey: parent.signingKey,
      signingAlgorithm,
      ...validityFor(1000),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    },
    provider,
  );
  const certPem = certificate.toString('pem') + '\n';
  const nodeCertificate = new X509Certificate(certPem);
  return {
    certPath: '',
    certPem,
    certificate,
    nodeCertificate,
    signingKey: keys.privateKey,
    fingerprint256: nodeCertificate.fingerprint256,
    created: true,
  };
}

describe('isCurrentLeaf keeps a Metacrypt-issued leaf only while it is still right', () => {
  let seed: RootCA;
  let infra: RootCA;
  let request: ServiceCertRequest;

  before(async () => {
    seed = await ensureRootCA({ certPath: join(root, 'ca.pem'), keyPath: join(root, 'ca.key') });
    infra = await intermediateUnder(seed, 'Test infra issuer');
    const hostname = 'mcr.svc.mcp.example.internal';
    request = {
      hostname,
      subjectAltNames: serviceSubjectAltNames(hostname),
      certPath: join(root, 'cert.pem'),
      keyPath: join(root, 'key.pem'),
    };
  });
  test('kept: signed by the issuer, which chains to the seed root, same names, its key, a year left', async () => {
    await ensureServiceCert(infra, request);
    assert.equal(isCurrentLeaf(request, infra.certPem, seed.certPem), true);
  });

  test('replaced: 30 days before expiry, other names, another issuer or root, a foreign key, no file', async () => {
    const notAfter = Date.parse(new X509Certificate(readFileSync(request.certPath)).validTo);
    assert.equal(isCurrentLeaf(request, infra.certPem, seed.certPem, notAfter - 31 * 86_400_000), true);
    assert.equal(isCurrentLeaf(request, infra.certPem, seed.certPem, notAfter - 29 * 86_400_000), false);
    const renamed = { ...request, subjectAltNames: [request.hostname, 'localhost'] };
    assert.equal(isCurrentLeaf(renamed, infra.certPem, seed.certPem), false);
    const other = await intermediateUnder(seed, 'Another issuer');
    assert.equal(isCurrentLeaf(request, other.certPem, seed.certPem), false);
    const otherRoot = await ensureRootCA({ certPath: join(root, 'other.pem'), keyPath: join(root, 'other.key') });
    assert.equal(isCurrentLeaf(request, infra.certPem, otherRoot.certPem), false);
    const foreignKey = { ...request, keyPath: join(root, 'ca.key') };
    assert.equal(isCurrentLeaf(foreignKey, infra.certPem, seed.certPem), false);
    assert.equal(isCurrentLeaf({ ...request, certPath: join(root, 'missing.pem') }, infra.certPem, seed.certPem), false);
  });

  test('replaced: a seed leaf (signed by the root itself) gives way to one from Metacrypt', async () => {
    await ensureServiceCert(seed, request);
    assert.equal(isCurrentLeaf(request, infra.certPem, seed.certPem), false);
  });
});
