// mc up as a library with the real MCIAS and Metacrypt and the fixture HTTPS service after them:
// the services before Metacrypt keep leaves from the seed CA, the one after it gets its leaf from
// Metacrypt's infra issuer before it starts, serves it with the chain over TLS that clients
// validate against the seed root only, and a second run unseals Metacrypt again and keeps that
// leaf. Needs the whole repo built (`npx tsc -b`; npm test does it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { createJsonClient } from '@metacircular/mcdsl';
import { interopTool } from '@metacircular/mcdsl/testing';
import { up } from '../src/launcher/up.js';
import { mcias } from '../src/registry/services/mcias.js';
import { metacrypt } from '../src/registry/services/metacrypt.js';
import type { PlatformSupervisor } from '../src/supervisor/platform-supervisor.js';
import { fixtureService } from './fixtures/fixture-registry.js';
import { assertBuilt } from './fixtures/paths.js';
import { assertServicesBuilt, getJSON, modeOf } from './helpers.js';

const openssl = interopTool('openssl');

/** peerFingerprint is the SHA-256 fingerprint of the leaf a TLS server presents, validated against `ca`. */
function peerFingerprint(url: string, ca: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca, servername: 'localhost' }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('mc up with Metacrypt issuing the leaf of a later service', () => {
  let root: string;
  let dir: string;
  let supervisor: PlatformSupervisor | undefined;
  const later = fixtureService('later');
  const registry = [mcias, metacrypt, later];
  const leafOf = (name: string): X509Certificate => new X509Certificate(readFileSync(join(dir, name, 'certs', 'cert.pem')));
  const seed = (): X509Certificate => new X509Certificate(readFileSync(join(dir, 'pki', 'ca.pem')));
  const metacryptURL = (): string => String(supervisor?.file.services['metacrypt']?.['rest']);

  const infraIssuer = async (): Promise<X509Certificate> => {
    const client = createJsonClient({ baseUrl: metacryptURL(), ca: readFileSync(join(dir, 'pki', 'ca.pem')) });
    try {
      const answer = await client.request<{ cert_pem: string }>('GET', '/v1/pki/pki/issuers/infra');
      assert.equal(answer.status, 200);
      return new X509Certificate(answer.body.cert_pem);
    } finally {
      client.close();
    }
  };
  const sealState = async (): Promise<string> => {
    const answer = await getJSON(`${metacryptURL()}/v1/status`, readFileSync(join(dir, 'pki', 'ca.pem'), 'utf8'));
    return (answer.body as { state: string }).state;
  };

  before(async () => {
    assertBuilt();
    assertServicesBuilt(['mcias', 'metacrypt']);
    root = mkdtempSync(join(tmpdir(), 'mc-metacrypt-up-'));
    dir = join(root, 'platform');
    supervisor = await up({ dir, domain: 'example.internal', registry });
  });
  after(async () => {
    await supervisor?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('MCIAS and Metacrypt run on seed leaves; the later service on a leaf from the infra issuer', async () => {
    assert.equal(await sealState(), 'unsealed');
    for (const name of ['mcias', 'metacrypt']) assert.ok(leafOf(name).checkIssued(seed()), `${name}'s leaf is from the seed CA`);
    const infra = await infraIssuer();
    assert.ok(infra.checkIssued(seed()) && infra.verify(seed().publicKey), 'the infra issuer is signed by the seed root');
    const leaf = leafOf('later');
    assert.ok(leaf.checkIssued(infra) && leaf.verify(infra.publicKey), "the later service's leaf is from Metacrypt");
    assert.equal(leaf.subject, 'CN=later.svc.mcp.example.internal');
    assert.equal(leaf.subjectAltName, 'DNS:later.svc.mcp.example.internal, DNS:localhost, IP Address:127.0.0.1');
    assert.equal(modeOf(join(dir, 'later', 'certs', 'key.pem')), 0o600);
    // The file holds leaf, issuer and root, so a client that trusts only the seed root validates it.
    const pem = readFileSync(join(dir, 'later', 'certs', 'cert.pem'), 'utf8');
    assert.equal(pem.match(/-----BEGIN CERTIFICATE-----/g)?.length, 3);
    const ca = readFileSync(join(dir, 'pki', 'ca.pem'), 'utf8');
    const health = String(supervisor?.file.services['later']?.health);
    assert.equal((await getJSON(health, ca)).status, 200);
    assert.equal(await peerFingerprint(health, ca), leaf.fingerprint256, 'the running service serves that leaf');
    // Started once: the leaf was there before the process was, not put in after a failed start.
    const starts = readFileSync(join(dir, 'logs', 'later.log'), 'utf8').match(/--- mc: starting later/g) ?? [];
    assert.equal(starts.length, 1);
  });

  test(
    'openssl verifies the served chain against the seed root, for TLS server and client use',
    { skip: openssl.skip ?? false },
    () => {
      const cert = join(dir, 'later', 'certs', 'cert.pem');
      for (const purpose of ['sslserver', 'sslclient']) {
        const result = spawnSync(
          String(openssl.path),
          ['verify', '-CAfile', join(dir, 'pki', 'ca.pem'), '-untrusted', cert, '-purpose', purpose, cert],
          { encoding: 'utf8', timeout: 30_000 },
        );
        assert.equal(result.stdout.trim(), `${cert}: OK`, result.stderr);
      }
    },
  );

  test('a second run unseals Metacrypt again and keeps the leaf it issued', async () => {
    const before = readFileSync(join(dir, 'later', 'certs', 'cert.pem'), 'utf8');
    const key = readFileSync(join(dir, 'later', 'certs', 'key.pem'), 'utf8');
    const password = readFileSync(join(dir, 'secrets', 'metacrypt.password'), 'utf8');
    await supervisor?.stop();
    supervisor = await up({ dir, registry });
    assert.equal(await sealState(), 'unsealed');
    assert.equal(readFileSync(join(dir, 'secrets', 'metacrypt.password'), 'utf8'), password);
    assert.equal(readFileSync(join(dir, 'later', 'certs', 'cert.pem'), 'utf8'), before, 'the leaf is kept, not reissued');
    assert.equal(readFileSync(join(dir, 'later', 'certs', 'key.pem'), 'utf8'), key);
    const log = readFileSync(join(dir, 'logs', 'metacrypt.log'), 'utf8');
    assert.equal(log.match(/metacrypt initialized/g)?.length, 1, 'initialized once, by the first run');
    assert.equal(log.match(/"msg":"metacrypt unsealed"/g)?.length, 1, 'unsealed by the second run');
  });
});
