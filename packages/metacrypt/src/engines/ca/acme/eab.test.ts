import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { Caller } from '@metacircular/mcdsl';
import { memoryBarrierView } from '../../../engine/index.js';
import { AcmeProblem } from './acme-problem.js';
import { AcmeStore } from './acme-store.js';
import { consumeEab, createEab, eabLifetimeMs, verifyEab } from './eab.js';
import { publicJwk } from './jws.js';

const caller: Caller = {
  username: 'agent',
  roles: ['user'],
  accountType: 'system',
  isAdmin: false,
  isGuest: false,
  token: 'secret-token',
};
const url = 'https://mc.example.test/acme/pki/new-account';

function binding(kid: string, hmacKey: string, payload: unknown, header: Record<string, unknown> = {}) {
  const p = Buffer.from(JSON.stringify({ alg: 'HS256', kid, url, ...header })).toString('base64url');
  const b = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', Buffer.from(hmacKey, 'base64url')).update(`${p}.${b}`).digest('base64url');
  return { protected: p, payload: b, signature };
}

async function accountKey() {
  const { publicKey } = await generateKeyPair('ES256');
  return publicJwk(await exportJWK(publicKey), 'ES256');
}

const rejectsWith = (p: Promise<unknown>, type: string, detail?: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof AcmeProblem && e.acmeType === type && (!detail || detail.test(e.message)));

describe('EAB credentials', () => {
  it('are stored with the owner identity but never the token, and verify once', async () => {
    const store = new AcmeStore(memoryBarrierView());
    const now = new Date('2026-01-01T00:00:00Z');
    const creds = createEab(store, caller, 'infra', now);
    assert.equal(Buffer.from(creds.hmacKey, 'base64url').length, 32);
    assert.match(creds.kid, /^[A-Za-z0-9]/, 'safe as a command-line argument');
    assert.match(creds.hmacKey, /^[A-Za-z0-9]/, 'safe as a command-line argument');
    assert.equal(creds.expiresAt.getTime(), now.getTime() + eabLifetimeMs);
    const stored = store.eab(creds.kid);
    assert.deepEqual(stored?.owner, {
      username: 'agent',
      roles: ['user'],
      accountType: 'system',
      isAdmin: false,
      isGuest: false,
    });
    assert.ok(!JSON.stringify(stored).includes('secret-token'));

    const key = await accountKey();
    const record = await verifyEab(store, binding(creds.kid, creds.hmacKey, key), key, url, now);
    assert.equal(record.issuer, 'infra');
    consumeEab(store, creds.kid, 'account-1', now);
    await rejectsWith(verifyEab(store, binding(creds.kid, creds.hmacKey, key), key, url, now), 'unauthorized', /used or expired/);
    assert.throws(() => consumeEab(store, creds.kid, 'account-2', now), AcmeProblem);
  });

  it('checks algorithm, nonce, url, expiry, MAC and bound key, in that order', async () => {
    const store = new AcmeStore(memoryBarrierView());
    const now = new Date('2026-01-01T00:00:00Z');
    const creds = createEab(store, caller, 'infra', now);
    const key = await accountKey();
    await rejectsWith(
      verifyEab(store, binding(creds.kid, creds.hmacKey, key, { alg: 'ES256' }), key, url, now),
      'malformed',
      /HS256/,
    );
    await rejectsWith(
      verifyEab(store, binding(creds.kid, creds.hmacKey, key, { nonce: 'x' }), key, url, now),
      'malformed',
      /nonce/,
    );
    await rejectsWith(
      verifyEab(store, binding(creds.kid, creds.hmacKey, key, { url: `${url}x` }), key, url, now),
      'malformed',
      /url/,
    );
    const later = new Date(now.getTime() + eabLifetimeMs);
    await rejectsWith(verifyEab(store, binding(creds.kid, creds.hmacKey, key), key, url, later), 'unauthorized', /expired/);
    await rejectsWith(
      verifyEab(store, binding(creds.kid, Buffer.alloc(32).toString('base64url'), key), key, url, now),
      'unauthorized',
      /signature/,
    );
    await rejectsWith(
      verifyEab(store, binding(creds.kid, creds.hmacKey, await accountKey()), key, url, now),
      'malformed',
      /not the key/,
    );
    await rejectsWith(
      verifyEab(store, binding(creds.kid, creds.hmacKey, 'not a key'), key, url, now),
      'malformed',
      /account public key/,
    );
    // None of those used the credentials up.
    assert.equal(store.eab(creds.kid)?.usedAt, undefined);
  });
});
