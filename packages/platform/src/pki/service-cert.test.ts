import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureRootCA } from './root-ca.js';
import type { RootCA } from './root-ca.js';
import { ensureServiceCert, serviceSubjectAltNames } from './service-cert.js';

const dir = mkdtempSync(join(tmpdir(), 'mc-leaf-'));
let ca: RootCA;
before(async () => {
  ca = await ensureRootCA({ certPath: join(dir, 'ca.pem'), keyPath: join(dir, 'ca.key') });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function request(hostname: string): Parameters<typeof ensureServiceCert>[1] {
  return {
    hostname,
    subjectAltNames: serviceSubjectAltNames(hostname),
    certPath: join(dir, 'cert.pem'),
    keyPath: join(dir, 'key.pem'),
  };
}

test('a service leaf names the service, localhost and 127.0.0.1, for server and client auth, for a year', async () => {
  assert.deepEqual(await ensureServiceCert(ca, request('mcias.svc.mcp.example.internal')), { issued: true });
  const cert = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
  assert.equal(cert.subject, 'CN=mcias.svc.mcp.example.internal');
  assert.equal(cert.subjectAltName, 'DNS:mcias.svc.mcp.example.internal, DNS:localhost, IP Address:127.0.0.1');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  assert.equal(cert.ca, false);
  assert.ok(cert.checkIssued(ca.nodeCertificate) && cert.verify(ca.nodeCertificate.publicKey));
  const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 364 && days <= 365, `${days} days`);
  assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
});

test('a current leaf is kept; a new name or another CA gets a new one', async () => {
  const before = readFileSync(join(dir, 'cert.pem'), 'utf8');
  assert.deepEqual(await ensureServiceCert(ca, request('mcias.svc.mcp.example.internal')), { issued: false });
  assert.equal(readFileSync(join(dir, 'cert.pem'), 'utf8'), before);

  assert.deepEqual(await ensureServiceCert(ca, request('mcias.svc.mcp.other.internal')), { issued: true });
  const other = await ensureRootCA({ certPath: join(dir, 'other.pem'), keyPath: join(dir, 'other.key') });
  assert.deepEqual(await ensureServiceCert(other, request('mcias.svc.mcp.other.internal')), { issued: true });
  const cert = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
  assert.ok(cert.checkIssued(other.nodeCertificate));
});
