import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTLSFiles } from '../src/tls/index.js';
import { InvalidRequestError } from '../src/errors/index.js';
import { createTestPKI } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

describe('loadTLSFiles', () => {
  let pki: TestPKI;
  before(async () => {
    pki = await createTestPKI({ names: ['svc.test'] });
  });
  after(async () => {
    await pki.cleanup();
  });

  const rejectsWith = (promise: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(promise, (err: unknown) => {
      assert.ok(err instanceof InvalidRequestError, `expected InvalidRequestError, got ${String(err)}`);
      assert.equal(err.code, 'ERR_TLS_FILE');
      assert.match(err.message, pattern);
      return true;
    });

  it('reads a matching certificate, key and CA', async () => {
    const material = await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath, ca: pki.caPath });
    assert.equal(material.cert.toString(), pki.cert);
    assert.equal(material.key.toString(), pki.key);
    assert.equal(material.ca?.toString(), pki.caCert);
  });

  it('leaves ca out when no ca path is given', async () => {
    const material = await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath });
    assert.equal('ca' in material, false);
  });

  it('names the config key and the file when a file is missing', async () => {
    const missing = join(pki.dir, 'nope.pem');
    await rejectsWith(loadTLSFiles({ cert: missing, key: pki.keyPath }), /^server\.tls_cert: ".*nope\.pem" no such file/);
    await rejectsWith(
      loadTLSFiles({ cert: pki.certPath, key: missing }, { key: 'web.tls_key' }),
      /^web\.tls_key: ".*nope\.pem" no such file/,
    );
    await rejectsWith(
      loadTLSFiles({ cert: pki.certPath, key: pki.keyPath, ca: missing }, { ca: 'mcias.ca_cert' }),
      /^mcias\.ca_cert: ".*nope\.pem" no such file/,
    );
  });

  it('refuses an empty path as a missing required value', async () => {
    await rejectsWith(loadTLSFiles({ cert: '', key: pki.keyPath }), /^server\.tls_cert is required/);
  });

  it('says when a file cannot be read', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, async () => {
    const unreadable = join(pki.dir, 'locked.pem');
    await writeFile(unreadable, pki.cert);
    await chmod(unreadable, 0o000);
    await rejectsWith(loadTLSFiles({ cert: unreadable, key: pki.keyPath }), /locked\.pem" cannot be read/);
  });

  it('refuses files that are not PEM or hold the wrong thing', async () => {
    const garbage = join(pki.dir, 'garbage.pem');
    await writeFile(garbage, 'hello');
    await rejectsWith(loadTLSFiles({ cert: garbage, key: pki.keyPath }), /^server\.tls_cert: ".*garbage\.pem" is not a pem file/);
    await rejectsWith(
      loadTLSFiles({ cert: pki.keyPath, key: pki.keyPath }),
      /^server\.tls_cert: .* does not hold a valid pem certificate/,
    );
    await rejectsWith(
      loadTLSFiles({ cert: pki.certPath, key: pki.certPath }),
      /^server\.tls_key: .* is not a readable pem private key/,
    );
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const other = await pki.issue({ label: 'other' });
    await rejectsWith(
      loadTLSFiles({ cert: pki.certPath, key: other.keyPath }),
      /^server\.tls_key: ".*other-key\.pem" does not match the certificate in server\.tls_cert/,
    );
  });
});
