import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { SSHWriter } from './ssh-wire.js';

/** CAKeyType is the type of a mount's CA key (mount config key_type). */
export type CAKeyType = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384';

/** caKeyTypes lists the CA key types, the default first. */
export const caKeyTypes: readonly CAKeyType[] = ['ed25519', 'ecdsa-p256', 'ecdsa-p384'];

/**
 * StoredCAKey is a CA key's record in the barrier (ca/user, ca/host). The private key itself is
 * a separate binary entry (keys/user, keys/host, PKCS#8 DER; see sshca-storage.ts), never a JSON
 * string, so every copy of it in memory is a Buffer that can be zeroed.
 */
export interface StoredCAKey {
  readonly key_type: CAKeyType;
  readonly created_at: string;
}

interface Curve {
  readonly algorithm: string;
  readonly id: string;
  readonly hash: string;
}

const curves: Readonly<Record<Exclude<CAKeyType, 'ed25519'>, Curve & { readonly nodeName: string }>> = {
  'ecdsa-p256': { algorithm: 'ecdsa-sha2-nistp256', id: 'nistp256', hash: 'sha256', nodeName: 'P-256' },
  'ecdsa-p384': { algorithm: 'ecdsa-sha2-nistp384', id: 'nistp384', hash: 'sha384', nodeName: 'P-384' },
};

/**
 * SSHCAKey is a CA signing key in memory: it signs certificate bodies with the SSH signature
 * encoding (RFC 8709 for Ed25519, RFC 5656 §3.1.2 for ECDSA) and knows its public key blob.
 */
export class SSHCAKey {
  /** publicBlob is the SSH wire form of the public key (the certificate's "signature key") */
  readonly publicBlob: Buffer;
  readonly algorithm: string;

  private constructor(
    readonly keyType: CAKeyType,
    private key: KeyObject | undefined,
  ) {
    const jwk = createPublicKey(key as KeyObject).export({ format: 'jwk' });
    const bytes = (v: string | undefined): Buffer => Buffer.from(v ?? '', 'base64url');
    if (keyType === 'ed25519') {
      this.algorithm = 'ssh-ed25519';
      this.publicBlob = new SSHWriter().string(this.algorithm).string(bytes(jwk.x)).finish();
    } else {
      const curve = curves[keyType];
      this.algorithm = curve.algorithm;
      const point = Buffer.concat([Buffer.from([4]), bytes(jwk.x), bytes(jwk.y)]);
      this.publicBlob = new SSHWriter().string(curve.algorithm).string(curve.id).string(point).finish();
    }
  }

  /** generate makes a fresh CA key and returns it with the record to store (the key goes in with SSHCAStore.putCAKey) */
  static generate(keyType: CAKeyType, now: Date): { key: SSHCAKey; stored: StoredCAKey } {
    const { privateKey } =
      keyType === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: curves[keyType].nodeName });
    return { key: new SSHCAKey(keyType, privateKey), stored: { key_type: keyType, created_at: now.toISOString() } };
  }

  /** load rebuilds a key from its record and its PKCS#8 DER, and zeroes the DER (also on failure) */
  static load(stored: StoredCAKey, der: Buffer): SSHCAKey {
    try {
      return new SSHCAKey(stored.key_type, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    } finally {
      der.fill(0);
    }
  }

  /** exportPKCS8 returns the private key as PKCS#8 DER, to be written to the barrier and then zeroed by the caller */
  exportPKCS8(): Buffer {
    if (!this.key) throw new Error('ssh ca key is sealed');
    return this.key.export({ format: 'der', type: 'pkcs8' });
  }

  /** authorizedKeysLine is the public key as one authorized_keys / known_hosts line */
  authorizedKeysLine(comment: string): string {
    return `${this.algorithm} ${this.publicBlob.toString('base64')} ${comment}`;
  }

  /** fingerprint is "SHA256:<base64>" of the public key, as ssh-keygen -l prints it */
  get fingerprint(): string {
    return 'SHA256:' + createHash('sha256').update(this.publicBlob).digest('base64').replace(/=+$/, '');
  }

  /** sign returns the SSH signature blob (string algorithm, string signature) over data */
  sign(data: Buffer): Buffer {
    if (!this.key) throw new Error('ssh ca key is sealed');
    if (this.keyType === 'ed25519') {
      return new SSHWriter()
        .string('ssh-ed25519')
        .string(sign(null, data, this.key))
        .finish();
    }
    const curve = curves[this.keyType];
    const rs = sign(curve.hash, data, { key: this.key, dsaEncoding: 'ieee-p1363' });
    const half = rs.length / 2;
    const inner = new SSHWriter().mpint(rs.subarray(0, half)).mpint(rs.subarray(half)).finish();
    return new SSHWriter().string(curve.algorithm).string(inner).finish();
  }

  /** drop forgets the private key (node cannot zero a KeyObject; dropping it lets it be collected) */
  drop(): void {
    this.key = undefined;
  }
}
