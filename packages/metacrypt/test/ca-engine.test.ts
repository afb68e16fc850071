// The CA engine on its own (memory barrier view, a fake OpContext, a controllable clock), with
// every certificate and CRL checked by openssl: roots, issuers, leaves of every key type and
// profile, CSRs from `openssl req`, revocation and CRLs, TTL capping, renewal, imports, and bad
// input that must change nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey as createKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  PreconditionError,
  SealedError,
} from '@metacircular/mcdsl';
import { interopTool } from '@metacircular/mcdsl/testing';
import { memoryBarrierView, type OpContext, type PolicyRequest } from '../src/engine/index.js';
import { caModule, type CaMountEngine } from '../src/engines/ca/index.js';

const openssl = interopTool('openssl');
const hour = 3_600_000;

interface Fake {
  ctx: OpContext;
  calls: Array<{ action: string; resource: string; request?: PolicyRequest }>;
  notes: Array<Record<string, unknown>>;
}

function fakeContext(deny?: (action: string, request?: PolicyRequest) => string | undefined): Fake {
  const calls: Fake['calls'] = [];
  const notes: Fake['notes'] = [];
  const ctx: OpContext = {
    caller: { username: 'alice', roles: ['user'], accountType: 'human', isAdmin: false, isGuest: false, token: 't' },
    mount: 'pki',
    authorize(action, resource, request) {
      calls.push({ action, resource, ...(request ? { request } : {}) });
      const why = deny?.(action, request);
      if (why) throw new ForbiddenError(why);
    },
    note: (detail) => void notes.push({ ...detail }),
  };
  return { ctx, calls, notes };
}

/** throwsLike asserts fn throws an instance of `cls` whose message matches `message`. */
function throwsLike(fn: () => unknown, cls: new (...args: never[]) => Error, message = /./, what = ''): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `${what}: expected ${cls.name}, got ${String(e)}`);
    assert.match(e.message, message, what || undefined);
    return true;
  });
}

interface Setup {
  engine: CaMountEngine;
  store: Map<string, Buffer>;
  clock: { now: Date };
}

function openEngine(config: Record<string, unknown> = {}, store = new Map<string, Buffer>()): Setup {
  const clock = { now: new Date() };
  const validated = caModule.provider.validateConfig(config);
  const mount = { name: 'pki', type: 'ca' as const, config: validated, createdAt: new Date() };
  const view = memoryBarrierView(store, 'engine/pki/');
  caModule.provider.initialize(mount, view, { now: () => clock.now, logger: undefined as never });
  const engine = caModule.provider.open(mount, view, { now: () => clock.now, logger: undefined as never }) as CaMountEngine;
  return { engine, store, clock };
}

describe('CA engine', { skip: openssl.skip }, () => {
  let dir: string;
  const file = (name: string, text: string | Buffer): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ssl = (...args: string[]): string =>
    execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const verify = (rootPem: string, chainPem: string, leafPem: string, ...extra: string[]) => {
    const untrusted = chainPem === '' ? [] : ['-untrusted', file('v-chain.pem', chainPem)];
    return spawnSync(
      'openssl',
      ['verify', ...extra, '-CAfile', file('v-root.pem', rootPem), ...untrusted, file('v-leaf.pem', leafPem)],
      {
        encoding: 'utf8',
      },
    );
  };
  const text = (pem: string): string => ssl('x509', '-noout', '-text', '-in', file('t.pem', pem));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ca-engine-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a root with the default issuers, once', () => {
    const { engine } = openEngine({ crl_base_url: 'https://mc.example.test:8443/' });
    const admin = fakeContext();
    const result = engine.generateRoot(admin.ctx, { subject: 'CN=Test Root,O=Metacircular', keyType: 'ecdsa-p384' });
    assert.deepEqual(
      result.issuers.map((i) => i.name),
      ['infra', 'services', 'clients'],
    );
    assert.deepEqual(engine.issuerNames(), ['clients', 'infra', 'services']);
    const root = engine.root();
    assert.equal(root.cert.subjectText, 'CN=Test Root, O=Metacircular');
    assert.equal(root.record.keyType, 'ecdsa-p384');
    assert.ok(root.cert.notAfter.getTime() - Date.now() > 9.9 * 365 * 24 * hour, 'default root TTL is 10 years');
    const rootText = text(root.record.certPem);
    assert.match(rootText, /CA:TRUE/);
    assert.match(rootText, /Certificate Sign, CRL Sign/);
    assert.equal(verify(root.record.certPem, '', root.record.certPem).status, 0);
    // issuers: signed by the root, pathlen 0, CRL DP to the root CRL
    const infra = engine.issuer('infra');
    assert.equal(verify(root.record.certPem, '', infra.record.certPem).status, 0, 'issuer verifies against the root');
    const issuerText = text(infra.record.certPem);
    assert.match(issuerText, /CA:TRUE, pathlen:0/);
    assert.match(issuerText, /URI:https:\/\/mc\.example\.test:8443\/v1\/pki\/pki\/crl/);
    assert.deepEqual(engine.issuer('clients').record.allowedProfiles, ['client']);
    assert.deepEqual(infra.record.allowedProfiles, ['server', 'client', 'peer']);
    assert.equal(engine.chainPem('infra'), infra.record.certPem + root.record.certPem);
    throwsLike(() => engine.generateRoot(admin.ctx, {}), ConflictError);
    assert.deepEqual(admin.notes[0]?.['issuers'], ['infra', 'services', 'clients']);
  });

  for (const keyType of ['ecdsa-p256', 'ecdsa-p384', 'ed25519'] as const) {
    it(`issues ${keyType} leaves that openssl verifies, with SANs, KU/EKU and the CRL DP`, () => {
      const { engine } = openEngine({ crl_base_url: 'https://mc.example.test:8443' });
      engine.generateRoot(fakeContext().ctx, { keyType: keyType === 'ed25519' ? 'ed25519' : 'ecdsa-p256' });
      const f = fakeContext();
      const issued = engine.issue(f.ctx, {
        issuer: 'infra',
        commonName: 'A.svc.mcp.example.test',
        sans: ['b.svc.mcp.example.test'],
        ipSans: ['10.0.0.7', '2001:DB8::1'],
        keyType,
        profile: 'peer',
      });
      const root = engine.root().record.certPem;
      const ok = verify(root, issued.chainPem, issued.certPem, '-purpose', 'sslserver');
      assert.equal(ok.status, 0, ok.stderr + ok.stdout);
      assert.equal(verify(root, issued.chainPem, issued.certPem, '-purpose', 'sslclient').status, 0);
      const t = text(issued.certPem);
      assert.match(t, /Subject: CN ?= ?a\.svc\.mcp\.example\.test/);
      assert.match(
        t,
        /DNS:a\.svc\.mcp\.example\.test, DNS:b\.svc\.mcp\.example\.test, IP Address:10\.0\.0\.7, IP Address:2001:DB8:0:0:0:0:0:1/,
      );
      assert.match(t, /Key Usage: critical\s+Digital Signature\n/);
      assert.match(t, /TLS Web Server Authentication, TLS Web Client Authentication/);
      assert.match(t, /CA:FALSE/);
      assert.match(t, /URI:https:\/\/mc\.example\.test:8443\/v1\/pki\/pki\/issuer\/infra\/crl/);
      assert.match(t, /Subject Key Identifier/);
      assert.match(t, /Authority Key Identifier/);
      // the key is returned once, matches the certificate and is stored nowhere
      const cert = new X509Certificate(issued.certPem);
      assert.ok(issued.keyPem && cert.checkPrivateKey(createKey(issued.keyPem)));
      assert.equal(cert.serialNumber.toLowerCase(), issued.serial);
      assert.match(issued.serial, /^[4-7][0-9a-f]{31}$/);
      assert.equal(f.calls.length, 1);
      assert.deepEqual(f.calls[0]?.action, 'issue');
      assert.deepEqual(f.calls[0]?.resource, 'ca/pki/issuer/infra');
      assert.deepEqual(f.calls[0]?.request?.sans, [
        'a.svc.mcp.example.test',
        'b.svc.mcp.example.test',
        '10.0.0.7',
        '2001:db8::1',
      ]);
      assert.equal(f.notes[0]?.['serial'], issued.serial);
      const record = engine.getCert(f.ctx, issued.serial);
      assert.equal(record.certPem, issued.certPem);
      assert.equal(JSON.stringify(record).includes('PRIVATE KEY'), false);
      assert.equal(record.keyType, keyType);
    });
  }

  it('follows each profile: server and client EKUs; issuers refuse profiles they do not sign', () => {
    const { engine } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const server = engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 's.example.test' });
    assert.match(text(server.certPem), /Extended Key Usage:\s+TLS Web Server Authentication\n/);
    const client = engine.issue(fakeContext().ctx, { issuer: 'clients', commonName: 'c.example.test' });
    assert.match(text(client.certPem), /Extended Key Usage:\s+TLS Web Client Authentication\n/);
    throwsLike(
      () => engine.issue(fakeContext().ctx, { issuer: 'clients', commonName: 'c.example.test', profile: 'server' }),
      InvalidRequestError,
      /^profile: issuer clients does not sign server/,
    );
    throwsLike(
      () => engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'x.example.test', profile: 'admin' }),
      InvalidRequestError,
    );
    assert.equal(verify(engine.root().record.certPem, client.chainPem, client.certPem, '-purpose', 'sslclient').status, 0);
  });

  it('signs a CSR made by openssl req, with the CSR names and no key in the answer', () => {
    const { engine } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const keyPath = join(dir, 'csr.key');
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath);
    const csr = ssl(
      'req',
      '-new',
      '-key',
      keyPath,
      '-subj',
      '/CN=web.example.test',
      '-addext',
      'subjectAltName=DNS:www.example.test,IP:192.0.2.1',
    );
    const f = fakeContext();
    const issued = engine.signCsr(f.ctx, { issuer: 'services', csr, profile: 'server' });
    assert.equal(issued.keyPem, undefined);
    assert.equal(verify(engine.root().record.certPem, issued.chainPem, issued.certPem).status, 0);
    assert.match(text(issued.certPem), /DNS:web\.example\.test, DNS:www\.example\.test, IP Address:192\.0\.2\.1/);
    assert.equal(new X509Certificate(issued.certPem).checkPrivateKey(createKey(readFileSync(keyPath, 'utf8'))), true);
    assert.equal(f.calls[0]?.action, 'sign-csr');
    assert.equal(engine.getCert(f.ctx, issued.serial).source, 'sign-csr');
    // an Ed25519 CSR works too
    const edKey = join(dir, 'ed.key');
    ssl('genpkey', '-algorithm', 'ed25519', '-out', edKey);
    const edCsr = ssl('req', '-new', '-key', edKey, '-subj', '/CN=ed.example.test');
    const ed = engine.signCsr(fakeContext().ctx, { issuer: 'infra', csr: edCsr });
    assert.equal(verify(engine.root().record.certPem, ed.chainPem, ed.certPem).status, 0);
  });

  it('refuses malformed, forged and RSA CSRs with csr_pem errors, storing nothing', () => {
    const { engine, store } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const before = new Map(store);
    const keyPath = join(dir, 'bad.key');
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath);
    const good = ssl('req', '-new', '-key', keyPath, '-subj', '/CN=ok.example.test');
    const der = Buffer.from(good.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0x01; // flip a bit of the signature
    const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const rsaKey = join(dir, 'rsa.key');
    ssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', rsaKey);
    const rsa = ssl('req', '-new', '-key', rsaKey, '-subj', '/CN=rsa.example.test');
    const bad = ssl('req', '-new', '-key', keyPath, '-subj', '/CN=bad name!');
    const cases: Array<[string, string | Uint8Array, RegExp]> = [
      ['not PEM', 'hello', /^csr_pem: no PEM block/],
      [
        'garbage PEM',
        '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
        /^csr_pem: not a valid PKCS#10/,
      ],
      ['garbage DER', Buffer.from('3003020100', 'hex'), /^csr_pem: not a valid PKCS#10/],
      ['forged signature', forged, /^csr_pem: the signature does not verify/],
      ['RSA key', rsa, /^csr_pem: rsa keys are not certified/],
      ['bad CN', bad, /^csr_pem: "bad name!" is not a valid DNS name/],
      ['two blocks', good + good, /^csr_pem: give exactly one PEM block/],
    ];
    for (const [what, csr, message] of cases) {
      throwsLike(() => engine.signCsr(fakeContext().ctx, { issuer: 'infra', csr }), InvalidRequestError, message, what);
    }
    assert.deepEqual([...store.keys()].sort(), [...before.keys()].sort());
  });

  it('ACME finalize: the CSR must ask for exactly the order names, and the action is issue', () => {
    const { engine } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const keyPath = join(dir, 'acme.key');
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath);
    const csr = ssl(
      'req',
      '-new',
      '-key',
      keyPath,
      '-subj',
      '/CN=a.example.test',
      '-addext',
      'subjectAltName=DNS:a.example.test,DNS:b.example.test',
    );
    const f = fakeContext();
    const issued = engine.signCsr(f.ctx, { issuer: 'infra', csr, dnsNames: ['b.example.test', 'a.example.test'] }, 'issue');
    assert.equal(f.calls[0]?.action, 'issue');
    assert.equal(engine.getCert(f.ctx, issued.serial).source, 'acme');
    assert.deepEqual(new X509Certificate(issued.certPem).subjectAltName, 'DNS:b.example.test, DNS:a.example.test');
    throwsLike(
      () => engine.signCsr(fakeContext().ctx, { issuer: 'infra', csr, dnsNames: ['a.example.test'] }, 'issue'),
      InvalidRequestError,
      /^csr: the CSR asks for/,
    );
  });

  it('revokes: the CRL lists the serial with its reason and openssl -crl_check rejects the certificate', () => {
    const { engine } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const issued = engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'gone.example.test' });
    const keep = engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'kept.example.test' });
    const before = engine.crl('infra');
    const f = fakeContext();
    const record = engine.revoke(f.ctx, issued.serial.toUpperCase().replace(/(..)(?!$)/g, '$1:'), 'keyCompromise');
    assert.equal(record.revocationReason, 'key_compromise');
    assert.deepEqual(f.calls, [{ action: 'revoke', resource: 'ca/pki/certs' }]);
    const crl = engine.crl('infra');
    assert.equal(crl.crlNumber, before.crlNumber + 1);
    assert.equal(Date.parse(crl.nextUpdate) - Date.parse(crl.thisUpdate), 7 * 24 * hour);
    const crlPath = file('crl.der', Buffer.from(crl.der, 'base64'));
    const crlText = ssl('crl', '-inform', 'DER', '-in', crlPath, '-noout', '-text');
    assert.match(crlText, new RegExp(`Serial Number: ${issued.serial.toUpperCase()}`));
    assert.match(crlText, /Key Compromise/);
    assert.match(crlText, new RegExp(`CRL Number: \\s*${crl.crlNumber}`));
    const crlPem = ssl('crl', '-inform', 'DER', '-in', crlPath);
    const root = engine.root().record.certPem;
    const rejected = verify(root, issued.chainPem, issued.certPem, '-crl_check', '-CRLfile', file('crl.pem', crlPem));
    assert.notEqual(rejected.status, 0);
    assert.match(rejected.stdout + rejected.stderr, /certificate revoked/);
    assert.equal(verify(root, keep.chainPem, keep.certPem, '-crl_check', '-CRLfile', file('crl.pem', crlPem)).status, 0);
    // the root CRL covers the issuers, so -crl_check_all works too
    const rootCrl = ssl('crl', '-inform', 'DER', '-in', file('root.crl', Buffer.from(engine.crl().der, 'base64')));
    const all = verify(root, keep.chainPem, keep.certPem, '-crl_check_all', '-CRLfile', file('all.pem', crlPem + rootCrl));
    assert.equal(all.status, 0, all.stderr);
    assert.throws(
      () => engine.revoke(fakeContext().ctx, issued.serial),
      (e: unknown) => e instanceof ConflictError && e.code === 'ERR_ALREADY_REVOKED',
    );
    assert.throws(() => engine.revoke(fakeContext().ctx, '7'.repeat(32)), NotFoundError);
    assert.throws(() => engine.revoke(fakeContext().ctx, 'zz'), InvalidRequestError);
    assert.throws(() => engine.revoke(fakeContext().ctx, keep.serial, 'because'), InvalidRequestError);
    assert.deepEqual(
      engine.listCerts(fakeContext().ctx, { revokedOnly: true }).map((r) => r.serial),
      [issued.serial],
    );
    assert.equal(engine.certificatePem(issued.serial), issued.certPem);
    assert.equal(engine.certificatePem('nonsense!'), undefined);
  });

  it('signs a stale CRL again before serving it', () => {
    const { engine, clock } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const first = engine.crl('services');
    assert.equal(engine.crl('services').crlNumber, first.crlNumber, 'a fresh CRL is served as is');
    clock.now = new Date(clock.now.getTime() + 6.5 * 24 * hour);
    const next = engine.crl('services');
    assert.equal(next.crlNumber, first.crlNumber + 1);
    assert.equal(next.thisUpdate, new Date(Math.floor(clock.now.getTime() / 1000) * 1000).toISOString());
  });

  it('caps TTLs by max_ttl and the issuer lifetime, and refuses bad durations', () => {
    const { engine, clock } = openEngine({ default_ttl: '48h' });
    engine.generateRoot(fakeContext().ctx, {});
    const short = engine.createIssuer(fakeContext().ctx, { name: 'short', maxTtl: '24h', ttl: '720h' });
    const now = clock.now.getTime();
    const capped = engine.issue(fakeContext().ctx, { issuer: 'short', commonName: 'x.example.test', ttl: '100000h' });
    assert.ok(Math.abs(capped.notAfter.getTime() - (now + 24 * hour)) <= 1000, 'capped at max_ttl');
    const dflt = engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'x.example.test' });
    assert.ok(Math.abs(dflt.notAfter.getTime() - (now + 48 * hour)) <= 1000, 'default_ttl applies');
    const tiny = engine.createIssuer(fakeContext().ctx, { name: 'tiny', ttl: '2h', maxTtl: '8760h' });
    const f = fakeContext();
    const bounded = engine.issue(f.ctx, { issuer: 'tiny', commonName: 'x.example.test', ttl: '720h' });
    assert.equal(bounded.notAfter.getTime(), tiny.cert.notAfter.getTime(), 'never beyond the issuer');
    assert.ok((f.calls[0]?.request?.ttlMs ?? 0) <= 2 * hour, 'policy sees the effective TTL');
    assert.equal(short.record.maxTtlMs, 24 * hour);
    for (const ttl of ['1 day', '-5h', '10s']) {
      throwsLike(
        () => engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'x.example.test', ttl }),
        InvalidRequestError,
        /^ttl: /,
        ttl,
      );
    }
    clock.now = new Date(now + 3 * hour);
    assert.throws(() => engine.issue(fakeContext().ctx, { issuer: 'tiny', commonName: 'x.example.test' }), PreconditionError);
  });

  it('renews with the same names and profile, a new key and serial; a revoked certificate is not renewed', () => {
    const { engine } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const old = engine.issue(fakeContext().ctx, {
      issuer: 'infra',
      sans: ['r.example.test'],
      ipSans: ['10.1.1.1'],
      profile: 'peer',
      ttl: '240h',
      keyType: 'ed25519',
    });
    const f = fakeContext();
    const renewed = engine.renew(f.ctx, { serial: old.serial });
    assert.notEqual(renewed.serial, old.serial);
    assert.ok(renewed.keyPem && renewed.keyPem !== old.keyPem);
    assert.equal(f.calls[0]?.action, 'renew');
    const rec = engine.getCert(f.ctx, renewed.serial);
    assert.deepEqual(
      [rec.profile, rec.dnsNames, rec.ipAddresses, rec.keyType, rec.renewedFrom],
      ['peer', ['r.example.test'], ['10.1.1.1'], 'ed25519', old.serial],
    );
    assert.ok(Math.abs(renewed.notAfter.getTime() - Date.now() - 240 * hour) < 60_000, 'keeps the old lifetime');
    assert.equal(verify(engine.root().record.certPem, renewed.chainPem, renewed.certPem).status, 0);
    assert.equal(engine.getCert(f.ctx, old.serial).revokedAt, undefined, 'the old one stays valid');
    engine.revoke(fakeContext().ctx, old.serial);
    assert.throws(() => engine.renew(fakeContext().ctx, { serial: old.serial }), PreconditionError);
    assert.throws(() => engine.renew(fakeContext().ctx, { serial: 'ab' }), NotFoundError);
  });

  it('validates names: lower-cases, adds the CN, refuses bad names; policy sees wildcards and decides', () => {
    const { engine, store } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const before = store.size;
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ commonName: 'bad_name.example.test' }, /^common_name: /],
      [{ sans: ['-x.example.test'] }, /^sans: /],
      [{ sans: ['10.0.0.1'] }, /^sans: "10.0.0.1" is an IP address/],
      [{ ipSans: ['10.0.0.256'] }, /^ip_sans: /],
      [{ sans: ['*.com'] }, /wildcard over a top-level domain/],
      [{ sans: ['a.*.example.test'] }, /^sans: /],
      [{}, /give at least one DNS name or IP address/],
      [{ sans: Array.from({ length: 101 }, (_, i) => `h${i}.example.test`) }, /at most 100 names/],
      [{ commonName: 'x.example.test', keyType: 'rsa' }, /^key_type: unknown key type/],
    ];
    for (const [req, message] of bad) {
      throwsLike(
        () => engine.issue(fakeContext().ctx, { issuer: 'infra', ...req }),
        InvalidRequestError,
        message,
        JSON.stringify(req).slice(0, 80),
      );
    }
    const refuse = fakeContext((_action, request) =>
      request?.sans?.some((s) => s.startsWith('*.')) ? 'no wildcards' : undefined,
    );
    assert.throws(() => engine.issue(refuse.ctx, { issuer: 'infra', sans: ['*.svc.example.test'] }), ForbiddenError);
    assert.equal(store.size, before, 'refused requests store nothing');
    const cn = engine.issue(fakeContext().ctx, {
      issuer: 'infra',
      commonName: 'Only.Example.Test',
      sans: ['other.example.test'],
    });
    assert.equal(new X509Certificate(cn.certPem).subjectAltName, 'DNS:only.example.test, DNS:other.example.test');
    const wild = engine.issue(fakeContext().ctx, { issuer: 'infra', sans: ['*.svc.example.test'] });
    assert.match(text(wild.certPem), /DNS:\*\.svc\.example\.test/);
    assert.throws(() => engine.issue(fakeContext().ctx, { issuer: 'nope', commonName: 'x.example.test' }), NotFoundError);
  });

  it('writes name constraints into issuers and refuses names outside them', () => {
    const { engine } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const nc = engine.createIssuer(fakeContext().ctx, {
      name: 'internal',
      permittedDnsDomains: ['svc.example.test'],
      excludedDnsDomains: ['secret.svc.example.test'],
    });
    assert.match(text(nc.record.certPem), /Permitted:\s+DNS:svc\.example\.test\s+Excluded:\s+DNS:secret\.svc\.example\.test/);
    const inside = engine.issue(fakeContext().ctx, { issuer: 'internal', commonName: 'a.svc.example.test' });
    assert.equal(verify(engine.root().record.certPem, inside.chainPem, inside.certPem).status, 0);
    throwsLike(
      () => engine.issue(fakeContext().ctx, { issuer: 'internal', commonName: 'a.example.test' }),
      InvalidRequestError,
      /outside issuer internal's permitted domains/,
    );
    throwsLike(
      () => engine.issue(fakeContext().ctx, { issuer: 'internal', commonName: 'x.secret.svc.example.test' }),
      InvalidRequestError,
      /inside issuer internal's excluded domains/,
    );
  });

  it('creates issuers only under a root, with unique valid names', () => {
    const { engine } = openEngine({ default_issuers: [] });
    assert.throws(
      () => engine.createIssuer(fakeContext().ctx, { name: 'infra' }),
      (e: unknown) => e instanceof PreconditionError && e.code === 'ERR_NO_ROOT',
    );
    assert.deepEqual(engine.generateRoot(fakeContext().ctx, { keyType: 'ed25519' }).issuers, []);
    const i = engine.createIssuer(fakeContext().ctx, {
      name: 'edge',
      subject: 'CN=Edge Issuer,O=Example',
      keyType: 'ecdsa-p384',
      allowedProfiles: ['server'],
    });
    assert.equal(i.cert.subjectText, 'CN=Edge Issuer, O=Example');
    assert.equal(i.record.keyType, 'ecdsa-p384');
    assert.throws(() => engine.createIssuer(fakeContext().ctx, { name: 'edge' }), ConflictError);
    throwsLike(() => engine.createIssuer(fakeContext().ctx, { name: 'Bad Name' }), InvalidRequestError, /^name: /);
    throwsLike(
      () => engine.createIssuer(fakeContext().ctx, { name: 'x', subject: 'O=No CN' }),
      InvalidRequestError,
      /^subject: the subject needs a CN/,
    );
    throwsLike(
      () => engine.createIssuer(fakeContext().ctx, { name: 'x', allowedProfiles: ['root'] }),
      InvalidRequestError,
      /^allowed_profiles: /,
    );
  });

  it('imports an RSA or EC root with its key, and refuses mismatched, non-CA and second roots', () => {
    const mk = (alg: string[], name: string, ca = true) => {
      const key = join(dir, `${name}.key`);
      ssl('genpkey', ...alg, '-out', key);
      const cert = ssl(
        'req',
        '-x509',
        '-new',
        '-key',
        key,
        '-subj',
        `/CN=${name}`,
        '-days',
        '3650',
        ...(ca ? [] : ['-addext', 'basicConstraints=critical,CA:FALSE']),
      );
      return { cert, key: readFileSync(key, 'utf8') };
    };
    const rsa = mk(['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], 'Offline RSA Root');
    const ec = mk(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'Offline EC Root');
    const leafish = mk(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'Not A CA', false);
    for (const root of [rsa, ec]) {
      const { engine } = openEngine();
      const result = engine.importRoot(fakeContext().ctx, { certPem: root.cert, keyPem: root.key });
      assert.equal(result.root.imported, true);
      const issued = engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'imported.example.test' });
      assert.equal(verify(root.cert, issued.chainPem, issued.certPem).status, 0);
      assert.throws(() => engine.importRoot(fakeContext().ctx, { certPem: root.cert, keyPem: root.key }), ConflictError);
    }
    const { engine, store } = openEngine();
    const refusals: Array<[string, string, RegExp]> = [
      [rsa.cert, ec.key, /^key_pem: the key does not belong/],
      [leafish.cert, leafish.key, /^cert_pem: the certificate is not a CA/],
      ['nope', ec.key, /^cert_pem: no PEM block/],
      [ec.cert, 'nope', /^key_pem: not a PEM private key/],
    ];
    for (const [certPem, keyPem, message] of refusals) {
      throwsLike(() => engine.importRoot(fakeContext().ctx, { certPem, keyPem }), InvalidRequestError, message, String(message));
    }
    assert.equal(store.size, 0);
  });

  it('forgets its keys when sealed', () => {
    const { engine } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    engine.seal();
    assert.throws(() => engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'x.example.test' }), SealedError);
    assert.throws(() => engine.root(), SealedError);
  });

  it('stores the keys it must keep only in its barrier view, and no leaf key at all', () => {
    const { engine, store } = openEngine();
    engine.generateRoot(fakeContext().ctx, {});
    const issued = engine.issue(fakeContext().ctx, { issuer: 'infra', commonName: 'x.example.test' });
    const leafKeyDer = createKey(issued.keyPem!).export({ format: 'der', type: 'pkcs8' });
    for (const [path, value] of store) {
      assert.ok(path.startsWith('engine/pki/'), path);
      assert.equal(value.includes(leafKeyDer), false, `${path} holds the leaf key`);
      assert.equal(value.toString('utf8').includes(leafKeyDer.toString('base64').slice(-40)), false, path);
      assert.equal(value.toString('utf8').includes('PRIVATE KEY'), false, path);
    }
  });
});
