import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PreconditionError } from '@metacircular/mcdsl';
import { ensureRootCA } from './root-ca.js';

const dir = mkdtempSync(join(tmpdir(), 'mc-ca-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the root CA is created once (P-256, CA:TRUE, ten years) and reused after', async () => {
  const paths = { certPath: join(dir, 'ca.pem'), keyPath: join(dir, 'ca.key') };
  const created = await ensureRootCA(paths);
  assert.equal(created.created, true);
  assert.equal(statSync(paths.keyPath).mode & 0o777, 0o600);
  const cert = new X509Certificate(readFileSync(paths.certPath));
  assert.equal(cert.ca, true);
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.ok(cert.verify(cert.publicKey), 'self-signed');
  const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 86_400_000);
  assert.ok(years > 9.9 && years < 10.1, `${years} years`);
  assert.match(cert.subject, /CN=Metacircular Seed Root CA [0-9a-f]{8}/);

  const loaded = await ensureRootCA(paths);
  assert.equal(loaded.created, false);
  assert.equal(loaded.fingerprint256, created.fingerprint256);
});

test('a certificate without its key, or with a foreign key, is refused rather than replaced', async () => {
  const a = { certPath: join(dir, 'a.pem'), keyPath: join(dir, 'a.key') };
  const b = { certPath: join(dir, 'b.pem'), keyPath: join(dir, 'b.key') };
  await ensureRootCA(a);
  await ensureRootCA(b);
  writeFileSync(b.keyPath, readFileSync(a.keyPath), { mode: 0o600 });
  await assert.rejects(ensureRootCA(b), (err: unknown) => {
    assert.ok(err instanceof PreconditionError);
    assert.match(err.message, /b\.key is not the key of .*b\.pem; restore the matching pair/);
    return true;
  });
  rmSync(a.keyPath);
  await assert.rejects(
    ensureRootCA(a),
    /a\.pem exists but .*a\.key does not; restore .*a\.key, or remove .*a\.pem to create a new CA/,
  );
});
