// The CA engine through a real Metacrypt (real MCIAS, TLS, SQLite barrier): REST and gRPC,
// the public PEM/CRL downloads, policy for a non-admin system account, openssl on everything
// issued, the seal, and what reaches the database file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { interopTool } from '@metacircular/mcdsl/testing';
import { CAService } from '@metacircular/proto/metacrypt/v1/ca_pb';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

const openssl = interopTool('openssl');

interface Issued {
  serial: string;
  cert_pem: string;
  chain_pem: string;
  key_pem: string;
  not_after: string;
}

describe('CA over REST and gRPC', { skip: openssl.skip }, () => {
  let mc: TestMetacrypt;
  let sessions: Http2SessionManager;
  let grpc: ReturnType<typeof createClient<typeof CAService>>;
  let rootPem: string;
  const issuedKeys: string[] = [];

  const file = (name: string, text: string | Buffer): string => {
    const p = join(mc.dir, name);
    writeFileSync(p, text);
    return p;
  };
  const verify = (chainPem: string, leafPem: string, ...extra: string[]) =>
    spawnSync(
      'openssl',
      [
        'verify',
        ...extra,
        '-CAfile',
        file('root.pem', rootPem),
        '-untrusted',
        file('chain.pem', chainPem),
        file('leaf.pem', leafPem),
      ],
      {
        encoding: 'utf8',
      },
    );
  const post = (path: string, body: unknown, token = mc.adminToken) => mc.request('POST', `/v1/pki${path}`, { token, body });
  const issue = async (body: Record<string, unknown>, token = mc.adminToken): Promise<Issued> => {
    const res = await post('/pki/issue', { issuer: 'infra', ...body }, token);
    assert.equal(res.status, 200, res.body);
    const issued = res.json<Issued>();
    if (issued.key_pem) issuedKeys.push(issued.key_pem);
    return issued;
  };
  // DER downloads need the raw bytes (the JSON test client decodes bodies as text)
  const download = (path: string): Promise<{ status: number; type: string; body: Buffer }> =>
    new Promise((resolve, reject) => {
      get(`${mc.restUrl}${path}`, { ca: mc.caCert }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }),
        );
      }).on('error', reject);
    });

  before(async () => {
    mc = await startTestMetacrypt({
      mounts: [{ name: 'pki', type: 'ca', config: { crl_base_url: 'https://metacrypt.example.test:8443' } }],
      logLevel: 'info',
    });
    const gen = await post('/pki/root/generate', { subject: 'CN=Test Platform Root,O=Metacircular', key_type: 'ecdsa-p256' });
    assert.equal(gen.status, 200, gen.body);
    const result = gen.json<{ root: { cert_pem: string }; issuers: Array<{ name: string }> }>();
    rootPem = result.root.cert_pem;
    assert.deepEqual(
      result.issuers.map((i) => i.name),
      ['infra', 'services', 'clients'],
    );
    sessions = new Http2SessionManager(mc.grpcUrl, {}, { ca: mc.caCert, minVersion: 'TLSv1.3' });
    grpc = createClient(CAService, createGrpcTransport({ baseUrl: mc.grpcUrl, sessionManager: sessions }));
  });
  after(async () => {
    sessions?.abort();
    await mc?.stop();
  });

  it('serves the root, chains, issuers and CRLs without a token', async () => {
    const ca = await mc.request('GET', '/v1/pki/pki/ca');
    assert.equal(ca.status, 200);
    assert.equal(ca.headers['content-type'], 'application/x-pem-file');
    assert.equal(ca.body, rootPem);
    const infra = await mc.request('GET', '/v1/pki/pki/issuer/infra');
    assert.equal(infra.status, 200);
    assert.equal(new X509Certificate(infra.body).checkIssued(new X509Certificate(rootPem)), true);
    const one = await mc.request('GET', '/v1/pki/pki/ca/chain?issuer=infra');
    assert.equal(one.body, infra.body + rootPem);
    const all = await mc.request('GET', '/v1/pki/pki/ca/chain');
    assert.equal(all.body.match(/BEGIN CERTIFICATE/g)?.length, 4);
    assert.ok(all.body.endsWith(rootPem));
    const crl = await download('/v1/pki/pki/issuer/infra/crl');
    assert.equal(crl.status, 200);
    assert.equal(crl.type, 'application/pkix-crl');
    assert.match(
      execFileSync('openssl', ['crl', '-inform', 'DER', '-in', file('i.crl', crl.body), '-noout', '-text'], { encoding: 'utf8' }),
      /No Revoked Certificates/,
    );
    const pem = await mc.request('GET', '/v1/pki/pki/issuer/infra/crl?format=pem');
    assert.match(pem.body, /^-----BEGIN X509 CRL-----/);
    const rootCrl = await download('/v1/pki/pki/crl');
    assert.equal(rootCrl.status, 200);
    assert.equal((await mc.request('GET', '/v1/pki/pki/crl?format=xml')).status, 400);
    assert.equal((await mc.request('GET', '/v1/pki/pki/issuer/nope')).status, 404);
    assert.equal((await mc.request('GET', '/v1/pki/nope/ca')).status, 404);
    const missing = await mc.request('GET', '/v1/pki/pki/issuer/nope/crl');
    assert.equal(missing.status, 404);
    assert.match(missing.json<{ error: string }>().error, /issuer "nope" not found/);
    // the JSON twins
    const root = await mc.request('GET', '/v1/pki/pki/root');
    assert.equal(root.json<{ cert_pem: string }>().cert_pem, rootPem);
    assert.equal((await mc.request('GET', '/v1/pki/pki/issuers/services')).status, 200);
    assert.equal((await mc.request('GET', '/v1/pki/pki/issuers')).status, 401, 'listing issuers needs a token');
  });

  it('issues every key type; openssl verifies each against the root with the chain returned', async () => {
    for (const key_type of ['ecdsa-p256', 'ecdsa-p384', 'ed25519']) {
      const issued = await issue({
        common_name: `${key_type}.svc.example.test`,
        sans: ['alt.svc.example.test'],
        key_type,
        ttl: '720h',
      });
      const ok = verify(issued.chain_pem, issued.cert_pem, '-purpose', 'sslserver');
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      assert.match(issued.serial, /^[0-9a-f]{32}$/);
      assert.match(issued.key_pem, /^-----BEGIN PRIVATE KEY-----/);
      assert.ok(Math.abs(Date.parse(issued.not_after) - Date.now() - 720 * 3_600_000) < 120_000);
      const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', file('x.pem', issued.cert_pem)], {
        encoding: 'utf8',
      });
      assert.match(text, new RegExp(`DNS:${key_type}\\.svc\\.example\\.test, DNS:alt\\.svc\\.example\\.test`));
      assert.match(text, /URI:https:\/\/metacrypt\.example\.test:8443\/v1\/pki\/pki\/issuer\/infra\/crl/);
    }
  });

  it('signs a CSR from openssl req; a malformed CSR is a 400 and changes nothing', async () => {
    const keyPath = file('csr.key', '');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath]);
    const csr = execFileSync('openssl', ['req', '-new', '-key', keyPath, '-subj', '/CN=csr.svc.example.test'], {
      encoding: 'utf8',
    });
    const res = await post('/pki/sign', { issuer: 'services', csr_pem: csr, profile: 'server', ttl: '24h' });
    assert.equal(res.status, 200, res.body);
    const issued = res.json<Issued>();
    assert.equal(issued.key_pem, '');
    assert.equal(verify(issued.chain_pem, issued.cert_pem).status, 0);
    const count = async () =>
      (await mc.request('GET', '/v1/pki/pki/certs', { token: mc.adminToken })).json<{ certs: unknown[] }>().certs.length;
    const before = await count();
    const bad = await post('/pki/sign', { issuer: 'services', csr_pem: csr.replace(/[A-Z]{4}(?=[^-]*-----END)/, 'AAAA') });
    assert.equal(bad.status, 400);
    assert.match(bad.json<{ error: string }>().error, /^csr_pem: /);
    const junk = await post('/pki/sign', { issuer: 'services', csr_pem: 'not a csr' });
    assert.equal(junk.status, 400);
    assert.equal(await count(), before);
  });

  it('revokes: the public CRL lists the serial and openssl -crl_check rejects the certificate', async () => {
    const issued = await issue({ common_name: 'revoked.svc.example.test' });
    const res = await post('/pki/revoke', { serial: issued.serial, reason: 'key_compromise' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json<{ revoked: boolean }>().revoked, true);
    const crl = await download('/v1/pki/pki/issuer/infra/crl');
    const crlPath = file('r.crl', crl.body);
    const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', crlPath, '-noout', '-text'], { encoding: 'utf8' });
    assert.match(text, new RegExp(`Serial Number: ${issued.serial.toUpperCase()}`));
    const crlPem = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', crlPath], { encoding: 'utf8' });
    const rejected = verify(issued.chain_pem, issued.cert_pem, '-crl_check', '-CRLfile', file('r.pem', crlPem));
    assert.notEqual(rejected.status, 0);
    assert.match(rejected.stdout + rejected.stderr, /certificate revoked/);
    assert.equal((await post('/pki/revoke', { serial: issued.serial })).status, 409);
    const got = await mc.request('GET', `/v1/pki/pki/certs/${issued.serial}`, { token: mc.adminToken });
    assert.equal(got.json<{ revocation_reason: string }>().revocation_reason, 'key_compromise');
    const listed = await mc.request('GET', '/v1/pki/pki/certs?revoked=true', { token: mc.adminToken });
    assert.deepEqual(
      listed.json<{ certs: Array<{ serial: string }> }>().certs.map((c) => c.serial),
      [issued.serial],
    );
    const crlJson = await mc.request('GET', '/v1/pki/pki/issuers/infra/crl');
    assert.deepEqual(crlJson.json<{ revoked_serials: string[] }>().revoked_serials, [issued.serial]);
  });

  it('lets a system account issue only what its rule allows', async () => {
    const agent = await mc.token('mcp-agent', { accountType: 'system' });
    const stranger = await mc.token('other-agent', { accountType: 'system' });
    // no rule yet: refused
    assert.equal((await post('/pki/issue', { issuer: 'infra', common_name: 'a.svc.mcp.example.test' }, agent)).status, 403);
    const rule = await mc.request('POST', '/v1/policy/rules', {
      token: mc.adminToken,
      body: {
        name: 'mcp-agent internal certs',
        priority: 100,
        effect: 'allow',
        usernames: ['mcp-agent'],
        account_types: ['system'],
        resources: ['ca/pki/issuer/infra'],
        actions: ['issue', 'renew'],
        conditions: { allowed_sans: ['*.svc.mcp.example.test'], allow_wildcard_sans: false, max_ttl: '2160h' },
      },
    });
    assert.equal(rule.status, 200, rule.body);
    const ok = await issue({ common_name: 'a.svc.mcp.example.test', ttl: '720h' }, agent);
    assert.equal(verify(ok.chain_pem, ok.cert_pem).status, 0);
    for (const names of [
      { common_name: 'example.test' },
      { sans: ['*.svc.mcp.example.test'] },
      { common_name: 'a.svc.other.example.test' },
      { common_name: 'a.svc.mcp.example.test', sans: ['b.example.test'] },
    ]) {
      const res = await post('/pki/issue', { issuer: 'infra', ...names }, agent);
      assert.equal(res.status, 403, `${JSON.stringify(names)}: ${res.body}`);
    }
    assert.equal(
      (await post('/pki/issue', { issuer: 'services', common_name: 'a.svc.mcp.example.test' }, agent)).status,
      403,
      'other issuer',
    );
    assert.equal(
      (await post('/pki/issue', { issuer: 'infra', common_name: 'a.svc.mcp.example.test' }, stranger)).status,
      403,
      'no rule',
    );
    // renew is allowed by the same rule; reading and revoking are not
    const renewed = await post('/pki/renew', { serial: ok.serial }, agent);
    assert.equal(renewed.status, 200, renewed.body);
    assert.equal((await post('/pki/revoke', { serial: ok.serial }, agent)).status, 403);
    assert.equal((await mc.request('GET', '/v1/pki/pki/certs', { token: agent })).status, 403);
    const record = await mc.request('GET', `/v1/pki/pki/certs/${ok.serial}`, { token: mc.adminToken });
    assert.equal(record.json<{ issued_by: string }>().issued_by, 'mcp-agent');
    // only admins create roots and issuers
    assert.equal((await post('/pki/issuers', { name: 'rogue' }, agent)).status, 403);
    assert.equal((await post('/pki/root/generate', {}, agent)).status, 403);
  });

  it('caps TTLs by the issuer, renews with the same names, and answers 404 for unknown things', async () => {
    const created = await post('/pki/issuers', { name: 'short', max_ttl: '48h', allowed_profiles: ['server', 'client'] });
    assert.equal(created.status, 200, created.body);
    assert.equal(created.json<{ max_ttl: string }>().max_ttl, '48h');
    assert.equal((await post('/pki/issuers', { name: 'short' })).status, 409);
    const capped = await issue({ issuer: 'short', common_name: 'ttl.svc.example.test', ttl: '8760h' });
    assert.ok(Date.parse(capped.not_after) <= Date.now() + 48 * 3_600_000 + 1000);
    const renewed = await post('/pki/renew', { serial: capped.serial });
    assert.equal(renewed.status, 200, renewed.body);
    const r = renewed.json<Issued>();
    issuedKeys.push(r.key_pem);
    assert.equal(new X509Certificate(r.cert_pem).subjectAltName, 'DNS:ttl.svc.example.test');
    assert.notEqual(r.serial, capped.serial);
    assert.equal((await post('/pki/issue', { issuer: 'nope', common_name: 'x.example.test' })).status, 404);
    assert.equal((await post('/nope/issue', { issuer: 'infra', common_name: 'x.example.test' })).status, 404);
    assert.equal((await post('/pki/renew', { serial: '7'.repeat(32) })).status, 404);
    assert.equal((await mc.request('GET', `/v1/pki/pki/certs/${'7'.repeat(32)}`, { token: mc.adminToken })).status, 404);
    assert.equal((await post('/pki/issue', { issuer: 'infra', common_name: 'x.example.test', key_type: 'rsa' })).status, 400);
    assert.equal((await post('/pki/root/generate', {})).status, 409);
  });

  it('serves the same operations over gRPC', async () => {
    const auth = { headers: { authorization: `Bearer ${mc.adminToken}` } };
    const issued = await grpc.issueCert({ mount: 'pki', issuer: 'infra', commonName: 'grpc.svc.example.test' }, auth);
    issuedKeys.push(issued.keyPem);
    assert.equal(verify(issued.chainPem, issued.certPem).status, 0);
    const root = await grpc.getRoot({ mount: 'pki' });
    assert.equal(root.certPem, rootPem);
    await assert.rejects(
      grpc.issueCert({ mount: 'pki', issuer: 'infra', commonName: 'x.example.test' }),
      (e: unknown) => e instanceof ConnectError && e.code === Code.Unauthenticated,
    );
    await assert.rejects(
      grpc.signCSR({ mount: 'pki', issuer: 'infra', csrPem: 'nope' }, auth),
      (e: unknown) => e instanceof ConnectError && e.code === Code.InvalidArgument && /csr_pem/.test(e.rawMessage),
    );
  });

  it('keeps no private key in the database file', () => {
    const files = [mc.dbPath, `${mc.dbPath}-wal`].filter((p) => existsSync(p));
    const bytes = Buffer.concat(files.map((p) => readFileSync(p)));
    assert.ok(bytes.length > 0);
    assert.equal(bytes.includes(Buffer.from('PRIVATE KEY')), false);
    assert.ok(issuedKeys.length >= 5);
    for (const pem of issuedKeys) {
      const key = createPrivateKey(pem);
      const der = key.export({ format: 'der', type: 'pkcs8' });
      const jwk = key.export({ format: 'jwk' });
      const raw = Buffer.from(jwk.d ?? '', 'base64url');
      assert.ok(raw.length >= 32);
      for (const needle of [der, raw, Buffer.from(der.toString('base64')), Buffer.from(jwk.d ?? '')]) {
        assert.equal(bytes.includes(needle), false);
      }
    }
    assert.equal(readFileSync(mc.logPath, 'utf8').includes('PRIVATE KEY'), false, 'nor in the log');
  });

  it('answers 503 while sealed, PEM downloads included, and comes back with the same root', async () => {
    await mc.restart();
    assert.equal((await mc.request('GET', '/v1/pki/pki/ca')).status, 503);
    assert.equal((await post('/pki/issue', { issuer: 'infra', common_name: 'x.example.test' })).status, 503);
    await mc.unseal();
    const ca = await mc.request('GET', '/v1/pki/pki/ca');
    assert.equal(ca.body, rootPem);
    const issued = await issue({ common_name: 'after.svc.example.test' });
    assert.equal(verify(issued.chain_pem, issued.cert_pem).status, 0);
  });
});
