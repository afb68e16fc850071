// The certificates `mc up` writes, checked by a TLS stack nobody here wrote: openssl verifies
// the chain and purposes, and s_client completes a TLS 1.3 handshake with a running service.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { interopTool } from '@metacircular/mcdsl/testing';
import { up } from '../src/launcher/up.js';
import type { PlatformSupervisor } from '../src/supervisor/platform-supervisor.js';
import { fixtureService } from './fixtures/fixture-registry.js';
import { assertBuilt } from './fixtures/paths.js';

const openssl = interopTool('openssl');

describe('mc up certificates under openssl', { skip: openssl.skip ?? false }, () => {
  let dir: string;
  let supervisor: PlatformSupervisor | undefined;
  // Runs openssl with stdin closed (so s_client hangs up after the handshake) and returns its
  // stdout and stderr together; a non-zero exit fails the test with what openssl said.
  const tool = (...args: string[]): string => {
    const result = spawnSync(String(openssl.path), args, { encoding: 'utf8', input: '', timeout: 30_000 });
    const output = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 0, `openssl ${args.join(' ')}: ${output}`);
    return output;
  };

  before(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'mc-openssl-'));
    supervisor = await up({ dir, domain: 'example.internal', registry: [fixtureService('fixture')] });
  });
  after(async () => {
    await supervisor?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('openssl verify accepts the service leaf for TLS server and client use', () => {
    const ca = join(dir, 'pki', 'ca.pem');
    const cert = join(dir, 'fixture', 'certs', 'cert.pem');
    for (const purpose of ['sslserver', 'sslclient']) {
      assert.equal(tool('verify', '-CAfile', ca, '-purpose', purpose, cert).trim(), `${cert}: OK`);
    }
    const text = tool('x509', '-in', cert, '-noout', '-ext', 'subjectAltName,extendedKeyUsage,basicConstraints');
    assert.match(text, /DNS:fixture\.svc\.mcp\.example\.internal, DNS:localhost, IP Address:127\.0\.0\.1/);
    assert.match(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.match(text, /CA:FALSE/);
    assert.match(
      tool('x509', '-in', ca, '-noout', '-ext', 'basicConstraints,keyUsage'),
      /CA:TRUE[\s\S]*Certificate Sign, CRL Sign/,
    );
  });

  test('openssl s_client completes a verified TLS 1.3 handshake with the running service', () => {
    const rest = String(supervisor?.file.services['fixture']?.['rest']);
    const { hostname, port } = new URL(rest);
    const out = tool(
      's_client',
      '-connect',
      `${hostname}:${port}`,
      '-CAfile',
      join(dir, 'pki', 'ca.pem'),
      '-verify_return_error',
      '-verify_ip',
      '127.0.0.1',
      '-brief',
    );
    assert.match(out, /Protocol version: TLSv1\.3/);
    assert.match(out, /Verification: OK/);
  });
});
