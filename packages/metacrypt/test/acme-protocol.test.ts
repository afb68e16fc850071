// The ACME server's protocol rules through a real Metacrypt, with a low-level client that can
// send hostile requests: directory and nonces, EAB (required, one-time, HMAC checked), JWS checks
// (bad signature, replayed or unknown nonce, wrong url, algorithm, content type, oversized body,
// unknown mount) each answered with its problem document and no state change, policy refusal of
// names, finalize rules, certificate download, revocation (by account and by certificate key),
// key rollover, account deactivation, and the seal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, X509Certificate } from 'node:crypto';
import { crypto as acmeCrypto } from 'acme-client';
import { calculateJwkThumbprint, exportJWK, importPKCS8 } from 'jose';
import { allowAcme, createEab, freePort, startAcmeMetacrypt, type AcmeMetacrypt } from './acme-harness.js';
import { eabBinding, newKey, RawAcme, type AcmeKey, type RawResponse } from './acme-raw-client.js';

const err = (type: string) => `urn:ietf:params:acme:error:${type}`;

function assertProblem(res: RawResponse, status: number, type: string, detail?: RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal(res.json?.type, err(type), res.text);
  if (detail) assert.match(String(res.json?.detail), detail);
  assert.equal(typeof res.headers['replay-nonce'], 'string', 'every answer carries a fresh nonce');
}

describe('acme protocol', () => {
  let env: AcmeMetacrypt;
  let acme: RawAcme;
  let dir: Record<string, string>;
  let token: string;
  let http01Port: number;
  let responder: http.Server;
  const tokens = new Map<string, string>();
  // Tokens whose HTTP-01 answer the responder holds back until the test releases it (a slow validation).
  const held = new Map<string, Promise<void>>();

  before(async () => {
    http01Port = await freePort();
    responder = http.createServer((req, res) => {
      const t = /\/\.well-known\/acme-challenge\/(.+)$/.exec(req.url ?? '')?.[1];
      const answer = t === undefined ? undefined : tokens.get(t);
      const reply = () => res.writeHead(answer ? 200 : 404).end(answer ?? '');
      const hold = t === undefined ? undefined : held.get(t);
      if (hold) void hold.then(reply);
      else reply();
    });
    await new Promise<void>((resolve) => responder.listen(http01Port, '127.0.0.1', resolve));
    env = await startAcmeMetacrypt({ http01_port: http01Port, http01_address: '127.0.0.1' });
    await allowAcme(env.mc, 'agent', ['*.svc.mcp.example.test']);
    token = await env.mc.token('agent', { accountType: 'system' });
    acme = new RawAcme(env.directoryUrl, env.mc.caCert);
    dir = await acme.directory();
  });
  after(async () => {
    await env?.mc.stop();
    await new Promise<void>((resolve) => (responder ? responder.close(() => resolve()) : resolve()));
  });

  /** register makes an account with fresh EAB credentials and returns its key and URL. */
  const register = async (key?: AcmeKey, eabToken = token): Promise<{ key: AcmeKey; kid: string }> => {
    const k = key ?? (await newKey());
    const eab = await createEab(env.mc, eabToken);
    const res = await acme.post(k, dir.newAccount!, {
      termsOfServiceAgreed: true,
      externalAccountBinding: eabBinding(eab.kid, eab.hmacKey, k.jwk, dir.newAccount!),
    });
    assert.equal(res.status, 201, res.text);
    return { key: k, kid: String(res.headers.location) };
  };

  const ordersOf = async (a: { key: AcmeKey; kid: string }) => {
    const res = await acme.post(a.key, `${a.kid}/orders`, '', { kid: a.kid });
    assert.equal(res.status, 200, res.text);
    return res.json?.orders as string[];
  };

  /** validOrder places an order for `names`, answers HTTP-01 for each and waits (bounded) until it is ready. */
  const readyOrder = async (a: { key: AcmeKey; kid: string }, names: string[]) => {
    const order = await acme.post(
      a.key,
      dir.newOrder!,
      { identifiers: names.map((value) => ({ type: 'dns', value })) },
      { kid: a.kid },
    );
    assert.equal(order.status, 201, order.text);
    const orderUrl = String(order.headers.location);
    const tp = await calculateJwkThumbprint(a.key.jwk, 'sha256');
    for (const authzUrl of order.json?.authorizations as string[]) {
      const authz = await acme.post(a.key, authzUrl, '', { kid: a.kid });
      const chall = (authz.json?.challenges as Array<{ type: string; url: string; token: string }>).find(
        (c) => c.type === 'http-01',
      )!;
      tokens.set(chall.token, `${chall.token}.${tp}`);
      const resp = await acme.post(a.key, chall.url, {}, { kid: a.kid });
      assert.equal(resp.status, 200, resp.text);
      assert.match(String(resp.headers.link), /rel="up"/);
    }
    for (let i = 0; i < 250; i++) {
      const o = await acme.post(a.key, orderUrl, '', { kid: a.kid });
      if (o.json?.status !== 'pending') {
        assert.equal(o.json?.status, 'ready', o.text);
        return { url: orderUrl, finalize: String(o.json?.finalize) };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('order did not leave pending');
  };

  const csrFor = async (names: string[]) => {
    const key = await acmeCrypto.createPrivateEcdsaKey('P-256');
    const [, csr] = await acmeCrypto.createCsr({ commonName: names[0], altNames: names }, key);
    const der = Buffer.from(csr.toString().replace(/-----[^-]+-----|\s/g, ''), 'base64');
    return { key, der: der.toString('base64url') };
  };

  it('serves the directory with EAB required, and nonces on HEAD (200) and GET (204)', async () => {
    assert.equal((dir.meta as unknown as { externalAccountRequired: boolean }).externalAccountRequired, true);
    for (const k of ['newNonce', 'newAccount', 'newOrder', 'revokeCert', 'keyChange'])
      assert.match(String(dir[k]), /^https:\/\/.+\/acme\/pki\//);
    const head = await acme.request('HEAD', dir.newNonce!);
    assert.equal(head.status, 200);
    assert.equal(head.headers['cache-control'], 'no-store');
    const get = await acme.request('GET', dir.newNonce!);
    assert.equal(get.status, 204);
    assert.notEqual(head.headers['replay-nonce'], get.headers['replay-nonce']);
    assert.match(String(get.headers.link), /\/acme\/pki\/directory>;rel="index"/);
  });

  it('requires external account binding and checks it', async () => {
    const key = await newKey();
    assertProblem(await acme.post(key, dir.newAccount!, { termsOfServiceAgreed: true }), 400, 'externalAccountRequired');
    const eab = await createEab(env.mc, token);
    const wrongHmac = eabBinding(eab.kid, Buffer.alloc(32, 7).toString('base64url'), key.jwk, dir.newAccount!);
    assertProblem(await acme.post(key, dir.newAccount!, { externalAccountBinding: wrongHmac }), 403, 'unauthorized', /signature/);
    const other = await newKey();
    const otherKeyBound = eabBinding(eab.kid, eab.hmacKey, other.jwk, dir.newAccount!);
    assertProblem(
      await acme.post(key, dir.newAccount!, { externalAccountBinding: otherKeyBound }),
      400,
      'malformed',
      /not the key/,
    );
    const unknownKid = eabBinding('A'.repeat(22), eab.hmacKey, key.jwk, dir.newAccount!);
    assertProblem(await acme.post(key, dir.newAccount!, { externalAccountBinding: unknownKid }), 403, 'unauthorized');
    // None of that consumed the credentials or made an account.
    assertProblem(await acme.post(key, dir.newAccount!, { onlyReturnExisting: true }), 400, 'accountDoesNotExist');
    const ok = await acme.post(key, dir.newAccount!, {
      externalAccountBinding: eabBinding(eab.kid, eab.hmacKey, key.jwk, dir.newAccount!),
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json?.status, 'valid');
    // Same key again: the existing account (200), no EAB needed; the EAB cannot make a second one.
    const again = await acme.post(key, dir.newAccount!, {});
    assert.equal(again.status, 200);
    assert.equal(again.headers.location, ok.headers.location);
    const third = await newKey();
    assertProblem(
      await acme.post(third, dir.newAccount!, {
        externalAccountBinding: eabBinding(eab.kid, eab.hmacKey, third.jwk, dir.newAccount!),
      }),
      403,
      'unauthorized',
      /unknown, used or expired/,
    );
  });

  it('refuses bad JWS requests with problem documents and changes nothing', async () => {
    const a = await register();
    const before = await ordersOf(a);
    const payload = { identifiers: [{ type: 'dns', value: 'x.svc.mcp.example.test' }] };
    assertProblem(await acme.post(a.key, dir.newOrder!, payload, { kid: a.kid, tamper: true }), 400, 'malformed', /signature/);
    const nonce = await acme.nonce();
    const first = await acme.post(a.key, dir.newOrder!, payload, { kid: a.kid, nonce });
    assert.equal(first.status, 201);
    const replay = await acme.post(a.key, dir.newOrder!, payload, { kid: a.kid, nonce });
    assertProblem(replay, 400, 'badNonce');
    assert.notEqual(replay.headers['replay-nonce'], nonce);
    assertProblem(await acme.post(a.key, dir.newOrder!, payload, { kid: a.kid, nonce: 'made-up-nonce' }), 400, 'badNonce');
    assertProblem(await acme.post(a.key, dir.newOrder!, payload, { kid: a.kid, nonce: null }), 400, 'badNonce');
    assertProblem(await acme.post(a.key, dir.newOrder!, payload, { kid: a.kid, url: dir.keyChange }), 401, 'unauthorized', /url/);
    assertProblem(
      await acme.post(a.key, dir.newOrder!, payload, { kid: a.kid, contentType: 'application/json' }),
      415,
      'malformed',
    );
    const hs = await acme.request(
      'POST',
      dir.newOrder!,
      JSON.stringify({
        protected: Buffer.from('{"alg":"HS256","url":"x","nonce":"y","kid":"z"}').toString('base64url'),
        payload: '',
        signature: '',
      }),
      { 'content-type': 'application/jose+json' },
    );
    assertProblem(hs, 400, 'badSignatureAlgorithm');
    assert.deepEqual(hs.json?.algorithms, ['ES256', 'ES384', 'EdDSA', 'RS256']);
    const big = await acme.request('POST', dir.newOrder!, Buffer.alloc(200 * 1024, 'a'), {
      'content-type': 'application/jose+json',
    });
    assertProblem(big, 413, 'malformed', /too large/);
    assertProblem(
      await acme.request('POST', dir.newOrder!, '{not json', { 'content-type': 'application/jose+json' }),
      400,
      'malformed',
    );
    // Only the one good request made an order.
    assert.equal((await ordersOf(a)).length, before.length + 1);
  });

  it('answers unknown mounts and paths with 404 problems', async () => {
    const unknown = env.directoryUrl.replace('/acme/pki/', '/acme/nope/');
    assertProblem(await acme.request('GET', unknown), 404, 'malformed', /no ca mount named "nope"/);
    const a = await register();
    assertProblem(await acme.post(a.key, unknown.replace('directory', 'new-order'), {}, { kid: a.kid }), 404, 'malformed');
    assertProblem(await acme.request('GET', env.directoryUrl.replace('directory', 'what')), 404, 'malformed');
    // A kid of another mount's URL shape is not an account here.
    assertProblem(
      await acme.post(a.key, dir.newOrder!, {}, { kid: a.kid.replace('/acme/pki/', '/acme/other/') }),
      400,
      'accountDoesNotExist',
    );
  });

  it('never gives an account the admin bypass: an admin-made EAB still needs a rule for its names', async () => {
    const a = await register(undefined, env.mc.adminToken);
    const res = await acme.post(
      a.key,
      dir.newOrder!,
      { identifiers: [{ type: 'dns', value: 'anything.example.org' }] },
      { kid: a.kid },
    );
    assertProblem(res, 403, 'rejectedIdentifier', /anything\.example\.org/);
    assert.deepEqual(await ordersOf(a), []);
  });

  it('refuses names outside the EAB owner policy with rejectedIdentifier and stores no order', async () => {
    const a = await register();
    const res = await acme.post(
      a.key,
      dir.newOrder!,
      {
        identifiers: [
          { type: 'dns', value: 'ok.svc.mcp.example.test' },
          { type: 'dns', value: 'www.example.test' },
        ],
      },
      { kid: a.kid },
    );
    assertProblem(res, 403, 'rejectedIdentifier', /www\.example\.test/);
    const sub = res.json?.subproblems as Array<{ identifier: { value: string } }>;
    assert.deepEqual(
      sub.map((s) => s.identifier.value),
      ['www.example.test'],
    );
    assertProblem(
      await acme.post(a.key, dir.newOrder!, { identifiers: [{ type: 'dns', value: '*.svc.mcp.example.test' }] }, { kid: a.kid }),
      403,
      'rejectedIdentifier',
    );
    assertProblem(
      await acme.post(a.key, dir.newOrder!, { identifiers: [{ type: 'ip', value: '127.0.0.1' }] }, { kid: a.kid }),
      400,
      'unsupportedIdentifier',
    );
    assertProblem(
      await acme.post(a.key, dir.newOrder!, { identifiers: [{ type: 'dns', value: 'bad..name' }] }, { kid: a.kid }),
      400,
      'rejectedIdentifier',
    );
    assert.deepEqual(await ordersOf(a), []);
  });

  it('finalizes only ready orders with a CSR for exactly the order names, then serves the chain', async () => {
    const a = await register();
    const names = ['f.svc.mcp.example.test'];
    const early = await acme.post(a.key, dir.newOrder!, { identifiers: [{ type: 'dns', value: names[0] }] }, { kid: a.kid });
    assertProblem(
      await acme.post(a.key, String(early.json?.finalize), { csr: (await csrFor(names)).der }, { kid: a.kid }),
      403,
      'orderNotReady',
    );
    const order = await readyOrder(a, names);
    assertProblem(
      await acme.post(a.key, order.finalize, { csr: (await csrFor(['g.svc.mcp.example.test'])).der }, { kid: a.kid }),
      400,
      'badCSR',
    );
    assertProblem(await acme.post(a.key, order.finalize, { csr: 'AAAA' }, { kid: a.kid }), 400, 'badCSR');
    const other = await register();
    assertProblem(
      await acme.post(other.key, order.finalize, { csr: (await csrFor(names)).der }, { kid: other.kid }),
      404,
      'malformed',
    );
    const done = await acme.post(a.key, order.finalize, { csr: (await csrFor(names)).der }, { kid: a.kid });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json?.status, 'valid');
    const cert = await acme.post(a.key, String(done.json?.certificate), '', { kid: a.kid });
    assert.equal(cert.status, 200);
    assert.equal(cert.headers['content-type'], 'application/pem-certificate-chain');
    const pems = cert.text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    assert.equal(pems.length, 3, 'leaf, issuer and root');
    assert.ok(new X509Certificate(pems[0] ?? '').checkHost(names[0]!));
    assert.ok(new X509Certificate(pems[2] ?? '').verify(new X509Certificate(env.rootPem).publicKey));
    assertProblem(await acme.post(other.key, String(done.json?.certificate), '', { kid: other.kid }), 404, 'malformed');
  });

  it('revokes by account and by certificate key, once', async () => {
    const issue = async (a: { key: AcmeKey; kid: string }, name: string) => {
      const order = await readyOrder(a, [name]);
      const csr = await csrFor([name]);
      const done = await acme.post(a.key, order.finalize, { csr: csr.der }, { kid: a.kid });
      const pem = (await acme.post(a.key, String(done.json?.certificate), '', { kid: a.kid })).text;
      const leaf = new X509Certificate(pem);
      return { der: leaf.raw.toString('base64url'), serial: leaf.serialNumber.toLowerCase(), keyPem: csr.key.toString() };
    };
    const a = await register();
    const b = await register();
    const one = await issue(a, 'r1.svc.mcp.example.test');
    assertProblem(await acme.post(b.key, dir.revokeCert!, { certificate: one.der }, { kid: b.kid }), 403, 'unauthorized');
    assertProblem(
      await acme.post(a.key, dir.revokeCert!, { certificate: one.der, reason: 2 }, { kid: a.kid }),
      400,
      'badRevocationReason',
    );
    const ok = await acme.post(a.key, dir.revokeCert!, { certificate: one.der, reason: 4 }, { kid: a.kid });
    assert.equal(ok.status, 200, ok.text);
    assertProblem(await acme.post(a.key, dir.revokeCert!, { certificate: one.der }, { kid: a.kid }), 400, 'alreadyRevoked');
    const info = await env.mc.request('GET', `/v1/pki/pki/certs/${one.serial}`, { token: env.mc.adminToken });
    assert.equal(info.json<{ revoked: boolean }>().revoked, true);

    const two = await issue(a, 'r2.svc.mcp.example.test');
    const certKey: AcmeKey = { alg: 'ES256', privateKey: await importPKCS8(two.keyPem, 'ES256', { extractable: true }), jwk: {} };
    const jwk = await exportJWK(certKey.privateKey);
    const publicJwk = { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! };
    const byKey = await acme.post({ ...certKey, jwk: publicJwk }, dir.revokeCert!, { certificate: two.der });
    assert.equal(byKey.status, 200, byKey.text);
    const stranger = await newKey();
    assertProblem(await acme.post(stranger, dir.revokeCert!, { certificate: one.der }), 403, 'unauthorized');
  });

  it('rolls the account key over and deactivates accounts', async () => {
    const a = await register();
    const next = await newKey('EdDSA');
    const inner = await acme.jws(next, dir.keyChange!, { account: a.kid, oldKey: a.key.jwk }, { nonce: null });
    const wrongInner = await acme.jws(next, dir.keyChange!, { account: a.kid, oldKey: next.jwk }, { nonce: null });
    assertProblem(await acme.post(a.key, dir.keyChange!, wrongInner, { kid: a.kid }), 400, 'malformed', /oldKey/);
    const res = await acme.post(a.key, dir.keyChange!, inner, { kid: a.kid });
    assert.equal(res.status, 200, res.text);
    // The old key no longer signs for the account; the new one does, and finds it by jwk.
    assertProblem(await acme.post(a.key, a.kid, '', { kid: a.kid }), 400, 'malformed');
    assert.equal((await acme.post(next, a.kid, '', { kid: a.kid })).status, 200);
    assertProblem(await acme.post(a.key, dir.newAccount!, { onlyReturnExisting: true }), 400, 'accountDoesNotExist');
    const found = await acme.post(next, dir.newAccount!, { onlyReturnExisting: true });
    assert.equal(found.headers.location, a.kid);
    // A key already held by another account cannot be taken over.
    const b = await register();
    const steal = await acme.jws(next, dir.keyChange!, { account: b.kid, oldKey: b.key.jwk }, { nonce: null });
    const conflict = await acme.post(b.key, dir.keyChange!, steal, { kid: b.kid });
    assertProblem(conflict, 409, 'malformed');
    assert.equal(conflict.headers.location, a.kid);

    const gone = await acme.post(next, a.kid, { status: 'deactivated' }, { kid: a.kid });
    assert.equal(gone.json?.status, 'deactivated');
    assertProblem(
      await acme.post(next, dir.newOrder!, { identifiers: [{ type: 'dns', value: 'd.svc.mcp.example.test' }] }, { kid: a.kid }),
      401,
      'unauthorized',
    );
  });

  it('answers a challenge POST with its validation already settled, so the first poll sees it', async () => {
    const a = await register();
    const order = await acme.post(
      a.key,
      dir.newOrder!,
      { identifiers: [{ type: 'dns', value: 'quick.svc.mcp.example.test' }] },
      { kid: a.kid },
    );
    const authzUrl = (order.json?.authorizations as string[])[0]!;
    const authz = await acme.post(a.key, authzUrl, '', { kid: a.kid });
    const chall = (authz.json?.challenges as Array<{ type: string; url: string; token: string }>).find(
      (c) => c.type === 'http-01',
    )!;
    tokens.set(chall.token, `${chall.token}.${await calculateJwkThumbprint(a.key.jwk, 'sha256')}`);
    const resp = await acme.post(a.key, chall.url, {}, { kid: a.kid });
    assert.equal(resp.json?.status, 'valid', resp.text);
    assert.equal(typeof resp.json?.validated, 'string');
    assert.equal(resp.headers['retry-after'], undefined);
    const polled = await acme.post(a.key, authzUrl, '', { kid: a.kid });
    assert.equal(polled.json?.status, 'valid', polled.text);
    const o = await acme.post(a.key, String(order.headers.location), '', { kid: a.kid });
    assert.equal(o.json?.status, 'ready', o.text);
  });

  it('answers a slow validation with the challenge processing and Retry-After, and settles it later', async () => {
    const a = await register();
    const order = await acme.post(
      a.key,
      dir.newOrder!,
      { identifiers: [{ type: 'dns', value: 'slow.svc.mcp.example.test' }] },
      { kid: a.kid },
    );
    const authzUrl = (order.json?.authorizations as string[])[0]!;
    const authz = await acme.post(a.key, authzUrl, '', { kid: a.kid });
    const chall = (authz.json?.challenges as Array<{ type: string; url: string; token: string }>).find(
      (c) => c.type === 'http-01',
    )!;
    tokens.set(chall.token, `${chall.token}.${await calculateJwkThumbprint(a.key.jwk, 'sha256')}`);
    let release = () => {};
    held.set(chall.token, new Promise<void>((resolve) => (release = resolve)));
    try {
      const resp = await acme.post(a.key, chall.url, {}, { kid: a.kid });
      assert.equal(resp.json?.status, 'processing', resp.text);
      assert.equal(resp.headers['retry-after'], '1');
      const pending = await acme.post(a.key, authzUrl, '', { kid: a.kid });
      assert.equal(pending.json?.status, 'pending', pending.text);
      assert.equal(pending.headers['retry-after'], '1');
      // Posting again while it runs neither restarts nor waits: it just returns the challenge.
      assert.equal((await acme.post(a.key, chall.url, {}, { kid: a.kid })).json?.status, 'processing');
    } finally {
      release();
      held.delete(chall.token);
    }
    let status = 'pending';
    for (let i = 0; i < 250 && status === 'pending'; i++) {
      status = String((await acme.post(a.key, authzUrl, '', { kid: a.kid })).json?.status);
      if (status === 'pending') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(status, 'valid');
  });

  it('fails an authorization whose HTTP-01 answer is wrong, and the order with it', async () => {
    const a = await register();
    const order = await acme.post(
      a.key,
      dir.newOrder!,
      { identifiers: [{ type: 'dns', value: 'bad.svc.mcp.example.test' }] },
      { kid: a.kid },
    );
    const authzUrl = (order.json?.authorizations as string[])[0]!;
    const authz = await acme.post(a.key, authzUrl, '', { kid: a.kid });
    const chall = (authz.json?.challenges as Array<{ type: string; url: string; token: string }>).find(
      (c) => c.type === 'http-01',
    )!;
    tokens.set(chall.token, 'not-the-key-authorization');
    const answered = await acme.post(a.key, chall.url, {}, { kid: a.kid });
    assert.equal(answered.json?.status, 'invalid', answered.text);
    let status = 'pending';
    let last: RawResponse | undefined;
    for (let i = 0; i < 250 && status === 'pending'; i++) {
      last = await acme.post(a.key, authzUrl, '', { kid: a.kid });
      status = String(last.json?.status);
      if (status === 'pending') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(status, 'invalid');
    const failed = (last?.json?.challenges as Array<{ error?: { type: string } }>).find((c) => c.error);
    assert.equal(failed?.error?.type, err('incorrectResponse'));
    const o = await acme.post(a.key, String(order.headers.location), '', { kid: a.kid });
    assert.equal(o.json?.status, 'invalid');
  });

  it('creates EAB credentials only for callers the policy allows', async () => {
    const bob = await env.mc.token('bob', { roles: ['user'] });
    assert.equal((await env.mc.request('POST', '/v1/acme/pki/eab', { token: bob, body: {} })).status, 403);
    assert.equal((await env.mc.request('POST', '/v1/acme/pki/eab', { body: {} })).status, 401);
    assert.equal((await env.mc.request('POST', '/v1/acme/pki/eab', { token, body: { issuer: 'nope' } })).status, 404);
    assert.equal((await env.mc.request('POST', '/v1/acme/nope/eab', { token, body: {} })).status, 404);
    const ok = await env.mc.request('POST', '/v1/acme/pki/eab', { token, body: { issuer: 'services' } });
    assert.equal(ok.status, 200);
    const body = ok.json<{ kid: string; hmac_key: string; issuer: string; expires_at: string }>();
    assert.equal(Buffer.from(body.hmac_key, 'base64url').length, 32);
    assert.equal(body.issuer, 'services');
    const hours = (Date.parse(body.expires_at) - Date.now()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24);
    // The HMAC key is a secret: it never reaches the audit log, which has the ACME operations.
    const audit = await env.mc.request('GET', '/v1/audit?limit=1000', { token: env.mc.adminToken });
    assert.ok(!audit.body.includes(body.hmac_key));
    const events = audit.json<{ events: Array<{ action: string; result: string; caller: string }> }>().events;
    const seen = new Set(events.filter((e) => e.caller === 'agent').map((e) => `${e.action}:${e.result}`));
    for (const want of [
      'acme.new-account:allow',
      'acme.new-order:allow',
      'acme.new-order:deny',
      'acme.validate:allow',
      'acme.finalize:allow',
      'acme.revoke-cert:allow',
      'acme.key-change:allow',
    ])
      assert.ok(seen.has(want), `audit has ${want}`);
    assert.ok(!audit.body.includes(createHash('sha256').update(body.hmac_key).digest('hex')));
  });

  it('answers 503 problems while sealed and works again after unseal', async () => {
    const a = await register();
    assert.equal((await env.mc.request('POST', '/v1/seal', { token: env.mc.adminToken, body: {} })).status, 200);
    assertProblem(await acme.request('GET', env.directoryUrl), 503, 'serverInternal', /sealed/);
    const head = await acme.request('HEAD', dir.newNonce!);
    assert.equal(head.status, 503);
    assert.match(String(head.headers['content-type']), /^application\/problem\+json/);
    await env.mc.unseal();
    assert.equal((await acme.post(a.key, a.kid, '', { kid: a.kid })).status, 200);
  });
});
