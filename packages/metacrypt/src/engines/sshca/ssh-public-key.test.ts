import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { parseSSHPublicKey } from './ssh-public-key.js';
import { SSHWriter } from './ssh-wire.js';

const b = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

function ed25519Line(comment = 'me@host'): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const blob = new SSHWriter().string('ssh-ed25519').string(b(jwk.x)).finish();
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

function ecdsaBlob(curve: 'P-256' | 'P-384', mutate?: (point: Buffer) => void): Buffer {
  const jwk = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]);
  mutate?.(point);
  const name = curve === 'P-256' ? 'nistp256' : 'nistp384';
  return new SSHWriter().string(`ecdsa-sha2-${name}`).string(name).string(point).finish();
}

function rsaLine(bits: number): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
  const blob = new SSHWriter().string('ssh-rsa').mpint(b(jwk.e)).mpint(b(jwk.n)).finish();
  return `ssh-rsa ${blob.toString('base64')}`;
}

function refuses(line: string, pattern: RegExp): void {
  assert.throws(
    () => parseSSHPublicKey(line),
    (err: unknown) => err instanceof InvalidRequestError && err.message.startsWith('public_key: ') && pattern.test(err.message),
    line.slice(0, 60),
  );
}

describe('parseSSHPublicKey', () => {
  it('reads ed25519, ecdsa and rsa lines with their cert algorithm and fingerprint', () => {
    const ed = parseSSHPublicKey(ed25519Line() + '\n');
    assert.equal(ed.keyType, 'ed25519');
    assert.equal(ed.certAlgorithm, 'ssh-ed25519-cert-v01@openssh.com');
    assert.match(ed.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    // the key fields are the blob after its algorithm name
    assert.deepEqual(ed.keyFields, ed.blob.subarray(4 + 'ssh-ed25519'.length));

    const ec = parseSSHPublicKey(`ecdsa-sha2-nistp384 ${ecdsaBlob('P-384').toString('base64')}`);
    assert.equal(ec.keyType, 'ecdsa-p384');
    assert.equal(ec.certAlgorithm, 'ecdsa-sha2-nistp384-cert-v01@openssh.com');

    assert.equal(parseSSHPublicKey(rsaLine(2048)).keyType, 'rsa');
  });

  it('refuses what is not one valid public key line', () => {
    refuses('', /empty/);
    refuses('not a key', /not an OpenSSH public key line|not supported/);
    refuses('ssh-ed25519', /not an OpenSSH public key line/);
    refuses(ed25519Line() + '\n' + ed25519Line(), /one OpenSSH public key line/);
    refuses('ssh-dss AAAAB3NzaC1kc3MAAACBAP', /not supported/);
    refuses('ssh-ed25519-cert-v01@openssh.com AAAA', /is a certificate/);
    refuses('ssh-ed25519 AAAA*AAA', /not an OpenSSH public key line/);
  });

  it('refuses a blob that disagrees with its line or is malformed', () => {
    const ec = ecdsaBlob('P-256');
    refuses(`ssh-ed25519 ${ec.toString('base64')}`, /different key type/);
    refuses(`ecdsa-sha2-nistp256 ${ec.subarray(0, ec.length - 5).toString('base64')}`, /not a valid key/);
    refuses(`ecdsa-sha2-nistp256 ${Buffer.concat([ec, Buffer.from([0, 0, 0, 0])]).toString('base64')}`, /trailing data/);
    const offCurve = ecdsaBlob('P-256', (point) => {
      point[point.length - 1] = (point[point.length - 1] ?? 0) ^ 1;
    });
    refuses(`ecdsa-sha2-nistp256 ${offCurve.toString('base64')}`, /not a valid key/);
    const short = new SSHWriter().string('ssh-ed25519').string(Buffer.alloc(31, 1)).finish();
    refuses(`ssh-ed25519 ${short.toString('base64')}`, /32 bytes/);
  });

  it('refuses rsa keys under 2048 bits', () => {
    refuses(rsaLine(1024), /1024 bits; at least 2048/);
  });
});
