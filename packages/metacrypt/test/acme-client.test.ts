// The npm acme-client, through the client library's obtainCertificate, gets certificates from a
// real Metacrypt over ACME: HTTP-01 (the helper's built-in responder) and DNS-01 (a TXT record in
// a DNS server run by the test), each chain verifying against the mount's root with openssl. Also
// the typed REST client's calls (status, issue, sign, transit encrypt/decrypt, EAB, typed errors)
// and the policy refusal as acme-client reports it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@metacircular/mcdsl';
import { interopTool } from '@metacircular/mcdsl/testing';
import { crypto as acmeCrypto } from 'acme-client';
import { MetacryptClient, obtainCertificate } from '../src/client/index.js';
import { allowAcme, freePort, runTool, startAcmeMetacrypt, type AcmeMetacrypt } from './acme-harness.js';
import { startTestDns, type TestDns } from './acme-dns-server.js';

describe('acme-client through obtainCertificate', () => {
  let env: AcmeMetacrypt;
  let dns: TestDns;
  let client: MetacryptClient;
  let http01Port: number;

  before(async () => {
    dns = await startTestDns('mcp.example.test');
    http01Port = await freePort();
    env = await startAcmeMetacrypt({ http01_port: http01Port, http01_address: '127.0.0.1', dns_resolver: dns.address });
    await allowAcme(env.mc, 'mcp-agent', ['*.svc.mcp.example.test']);
    const token = await env.mc.token('mcp-agent', { accountType: 'system' });
    client = new MetacryptClient({ serverUrl: env.mc.restUrl, caCert: env.mc.caCert, token });
  });
  after(async () => {
    client?.close();
    await env?.mc.stop();
    await dns?.close();
  });

  const verifyChain = async (fullChainPem: string, name: string) => {
    const leaf = new X509Certificate(fullChainPem);
    assert.ok(leaf.checkHost(name), `leaf carries ${name}`);
    const tool = interopTool('openssl');
    if (tool.path === undefined) return;
    const dir = env.mc.dir;
    const chainPath = join(dir, `chain-${name}.pem`);
    const rootPath = join(dir, 'root.pem');
    await writeFile(chainPath, fullChainPem);
    await writeFile(rootPath, env.rootPem);
    const leafPath = join(dir, `leaf-${name}.pem`);
    await writeFile(leafPath, leaf.toString());
    const res = await runTool(tool.path, ['verify', '-CAfile', rootPath, '-untrusted', chainPath, leafPath], {
      timeoutMs: 20_000,
    });
    assert.equal(res.code, 0, res.stdout + res.stderr);
  };

  it('obtains a certificate with HTTP-01', async () => {
    const eab = await client.createEab('pki');
    assert.equal(eab.issuer, 'infra');
    const cert = await obtainCertificate({
      directoryUrl: client.acmeDirectoryUrl('pki'),
      eab,
      names: ['web.svc.mcp.example.test'],
      challenge: 'http-01',
      http01: { port: http01Port, host: '127.0.0.1' },
      caCert: env.mc.caCert,
    });
    assert.match(cert.accountUrl, /\/acme\/pki\/account\//);
    assert.equal(cert.fullChainPem, cert.certPem + cert.chainPem);
    assert.ok(cert.notAfter.getTime() > Date.now());
    await verifyChain(cert.fullChainPem, 'web.svc.mcp.example.test');
  });

  it('obtains a certificate with DNS-01 through the configured resolver', async () => {
    const eab = await client.createEab('pki');
    const cert = await obtainCertificate({
      directoryUrl: client.acmeDirectoryUrl('pki'),
      eab,
      names: ['db.svc.mcp.example.test', 'db2.svc.mcp.example.test'],
      challenge: 'dns-01',
      dns01: {
        present: (name, value) => Promise.resolve(dns.setTxt(name, value)),
        cleanup: (name) => Promise.resolve(dns.deleteTxt(name)),
      },
      caCert: env.mc.caCert,
    });
    const leaf = new X509Certificate(cert.certPem);
    assert.match(leaf.subjectAltName ?? '', /DNS:db\.svc\.mcp\.example\.test/);
    assert.match(leaf.subjectAltName ?? '', /DNS:db2\.svc\.mcp\.example\.test/);
    await verifyChain(cert.fullChainPem, 'db.svc.mcp.example.test');
  });

  it('is refused an order for a name outside the policy, and the EAB stays usable only once', async () => {
    const eab = await client.createEab('pki');
    await assert.rejects(
      obtainCertificate({
        directoryUrl: client.acmeDirectoryUrl('pki'),
        eab,
        names: ['www.example.test'],
        challenge: 'http-01',
        http01: { port: http01Port, host: '127.0.0.1' },
        caCert: env.mc.caCert,
      }),
      /policy does not allow mcp-agent/,
    );
    // The account was registered before the order was refused: the EAB is spent.
    await assert.rejects(
      obtainCertificate({
        directoryUrl: client.acmeDirectoryUrl('pki'),
        eab,
        names: ['x.svc.mcp.example.test'],
        challenge: 'http-01',
        http01: { port: http01Port, host: '127.0.0.1' },
        caCert: env.mc.caCert,
      }),
      /external account binding credentials are unknown, used or expired/,
    );
  });
});

describe('MetacryptClient over REST', () => {
  let env: AcmeMetacrypt;
  let admin: MetacryptClient;

  before(async () => {
    env = await startAcmeMetacrypt();
    admin = new MetacryptClient({ serverUrl: env.mc.restUrl, caCert: env.mc.caCert, token: env.mc.adminToken });
    const mount = await env.mc.request('POST', '/v1/mounts', {
      token: env.mc.adminToken,
      body: { name: 'transit', type: 'transit', config: {} },
    });
    assert.equal(mount.status, 200, mount.body);
    const key = await env.mc.request('POST', '/v1/transit/transit/keys', { token: env.mc.adminToken, body: { name: 'app' } });
    assert.equal(key.status, 200, key.body);
  });
  after(async () => {
    admin?.close();
    await env?.mc.stop();
  });

  it('reads the status without a token', async () => {
    const anonymous = new MetacryptClient({ serverUrl: env.mc.restUrl, caCert: env.mc.caCert });
    try {
      assert.equal((await anonymous.status()).state, 'unsealed');
      await assert.rejects(anonymous.issue('pki', { issuer: 'infra', commonName: 'x.example.test' }), UnauthenticatedError);
    } finally {
      anonymous.close();
    }
  });

  it('issues and signs certificates with their chain', async () => {
    const issued = await admin.issue('pki', {
      issuer: 'infra',
      commonName: 'api.svc.mcp.example.test',
      sans: ['api.svc.mcp.example.test'],
    });
    assert.match(issued.serial, /^[0-9a-f]+$/);
    assert.ok(issued.keyPem?.includes('PRIVATE KEY'));
    assert.ok(new X509Certificate(issued.certPem).checkHost('api.svc.mcp.example.test'));
    assert.ok(new X509Certificate(issued.certPem).checkIssued(new X509Certificate(issued.chainPem)));
    assert.ok(issued.notAfter.getTime() > Date.now());

    const key = await acmeCrypto.createPrivateEcdsaKey('P-256');
    const [, csr] = await acmeCrypto.createCsr(
      { commonName: 'csr.svc.mcp.example.test', altNames: ['csr.svc.mcp.example.test'] },
      key,
    );
    const signed = await admin.sign('pki', { issuer: 'infra', csrPem: csr.toString() });
    assert.equal(signed.keyPem, undefined);
    assert.ok(new X509Certificate(signed.certPem).checkHost('csr.svc.mcp.example.test'));
    await assert.rejects(admin.issue('nope', { issuer: 'infra', commonName: 'x.example.test' }), NotFoundError);
  });

  it('encrypts and decrypts with a transit key', async () => {
    const context = Buffer.from('tenant-1');
    const ciphertext = await admin.encrypt('transit', 'app', 'hello metacrypt', { context });
    assert.match(ciphertext, /^metacrypt:v1:/);
    assert.equal((await admin.decrypt('transit', 'app', ciphertext, { context })).toString(), 'hello metacrypt');
  });

  it('turns refusals into typed errors without the token in the message', async () => {
    const bobToken = await env.mc.token('bob', { roles: ['user'] });
    const bob = new MetacryptClient({ serverUrl: env.mc.restUrl, caCert: env.mc.caCert, token: bobToken });
    try {
      await assert.rejects(bob.createEab('pki'), (e: unknown) => e instanceof ForbiddenError && !e.message.includes(bobToken));
    } finally {
      bob.close();
    }
  });
});
