import { createHash, createPublicKey } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { SSHReader } from './ssh-wire.js';

/** SSHKeyType is a key type a profile can allow (its allowed_key_types). */
export type SSHKeyType = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'sk-ed25519' | 'sk-ecdsa-p256' | 'rsa';

/** sshKeyTypes lists every key type Metacrypt signs, in the order profiles show them. */
export const sshKeyTypes: readonly SSHKeyType[] = [
  'ed25519',
  'ecdsa-p256',
  'ecdsa-p384',
  'ecdsa-p521',
  'sk-ed25519',
  'sk-ecdsa-p256',
  'rsa',
];

/** rsaMinimumBits is the smallest RSA modulus signed; OpenSSH itself still accepts 1024. */
export const rsaMinimumBits = 2048;

interface Algorithm {
  readonly keyType: SSHKeyType;
  /** the matching certificate algorithm of PROTOCOL.certkeys */
  readonly certAlgorithm: string;
  /** for ECDSA keys: the curve identifier inside the blob and its JWK name and coordinate size */
  readonly curve?: { readonly id: string; readonly jwk: string; readonly size: number };
  /** FIDO (sk-*) keys carry an application string after the key */
  readonly sk?: boolean;
}

const p256 = { id: 'nistp256', jwk: 'P-256', size: 32 };
const algorithms: Readonly<Record<string, Algorithm>> = {
  'ssh-ed25519': { keyType: 'ed25519', certAlgorithm: 'ssh-ed25519-cert-v01@openssh.com' },
  'ecdsa-sha2-nistp256': { keyType: 'ecdsa-p256', certAlgorithm: 'ecdsa-sha2-nistp256-cert-v01@openssh.com', curve: p256 },
  'ecdsa-sha2-nistp384': {
    keyType: 'ecdsa-p384',
    certAlgorithm: 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
    curve: { id: 'nistp384', jwk: 'P-384', size: 48 },
  },
  'ecdsa-sha2-nistp521': {
    keyType: 'ecdsa-p521',
    certAlgorithm: 'ecdsa-sha2-nistp521-cert-v01@openssh.com',
    curve: { id: 'nistp521', jwk: 'P-521', size: 66 },
  },
  'sk-ssh-ed25519@openssh.com': { keyType: 'sk-ed25519', certAlgorithm: 'sk-ssh-ed25519-cert-v01@openssh.com', sk: true },
  'sk-ecdsa-sha2-nistp256@openssh.com': {
    keyType: 'sk-ecdsa-p256',
    certAlgorithm: 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
    curve: p256,
    sk: true,
  },
  'ssh-rsa': { keyType: 'rsa', certAlgorithm: 'ssh-rsa-cert-v01@openssh.com' },
};

/** SSHPublicKey is a parsed, validated OpenSSH public key. */
export interface SSHPublicKey {
  /** the algorithm name, e.g. "ssh-ed25519" */
  readonly algorithm: string;
  readonly keyType: SSHKeyType;
  readonly certAlgorithm: string;
  /** the whole public key blob */
  readonly blob: Buffer;
  /** the blob after its algorithm name: exactly what a certificate carries after its nonce */
  readonly keyFields: Buffer;
  /** "SHA256:<base64>", as ssh-keygen -l prints it */
  readonly fingerprint: string;
}

const maxLineLength = 16 * 1024;

/**
 * parseSSHPublicKey reads one OpenSSH public key line ("<type> <base64> [comment]") and checks
 * the key itself (curve points on the curve, RSA size), throwing InvalidRequestError naming
 * public_key on anything else, certificates included.
 */
export function parseSSHPublicKey(line: string): SSHPublicKey {
  const text = line.trim();
  if (text === '') throw bad('is empty; send the contents of your .pub file');
  if (text.length > maxLineLength || /[\r\n]/.test(text)) throw bad('must be one OpenSSH public key line');
  const match = /^(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s.*)?$/.exec(text);
  if (!match) throw bad('is not an OpenSSH public key line ("<type> <base64> [comment]")');
  const name = match[1] ?? '';
  const b64 = match[2] ?? '';
  if (name.includes('-cert-v01@')) throw bad('is a certificate; send the plain public key (the .pub file)');
  const algorithm = algorithms[name];
  if (!algorithm) throw bad(`key type "${name}" is not supported; use ed25519 or ecdsa`);
  const blob = Buffer.from(b64, 'base64');
  if (blob.toString('base64') !== b64) throw bad('has invalid base64');
  try {
    const reader = new SSHReader(blob);
    if (reader.text() !== name) throw bad('names a different key type than its base64 data');
    const keyFields = blob.subarray(blob.length - reader.remaining);
    checkKey(name, algorithm, reader);
    if (reader.remaining !== 0) throw bad('has trailing data after the key');
    const fingerprint = 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
    return { algorithm: name, keyType: algorithm.keyType, certAlgorithm: algorithm.certAlgorithm, blob, keyFields, fingerprint };
  } catch (err) {
    if (err instanceof InvalidRequestError) throw err;
    throw bad('is not a valid key', err);
  }
}

function checkKey(name: string, algorithm: Algorithm, reader: SSHReader): void {
  if (algorithm.keyType === 'rsa') {
    const e = unsigned(reader.string());
    const n = unsigned(reader.string());
    const bits = n.length === 0 ? 0 : (n.length - 1) * 8 + (n[0] ?? 0).toString(2).length;
    if (bits < rsaMinimumBits) throw bad(`rsa key has ${bits} bits; at least ${rsaMinimumBits} are required`);
    createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
  } else if (algorithm.curve) {
    const curve = algorithm.curve;
    if (reader.text() !== curve.id) throw bad(`${name} key names the wrong curve`);
    const q = reader.string();
    if (q.length !== 1 + 2 * curve.size || q[0] !== 0x04) throw bad(`${name} key is not an uncompressed curve point`);
    const x = q.subarray(1, 1 + curve.size).toString('base64url');
    const y = q.subarray(1 + curve.size).toString('base64url');
    // createPublicKey refuses a point that is not on the curve.
    createPublicKey({ key: { kty: 'EC', crv: curve.jwk, x, y }, format: 'jwk' });
  } else {
    const pk = reader.string();
    if (pk.length !== 32) throw bad(`${name} key must be 32 bytes`);
    createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pk.toString('base64url') }, format: 'jwk' });
  }
  if (algorithm.sk && !reader.text().startsWith('ssh:')) throw bad('security key application must start with "ssh:"');
}

/** unsigned strips an mpint's sign padding; a negative mpint is refused */
function unsigned(mpint: Buffer): Buffer {
  if (mpint.length > 0 && ((mpint[0] ?? 0) & 0x80) !== 0) throw bad('rsa key has a negative number');
  let start = 0;
  while (start < mpint.length && mpint[start] === 0) start++;
  return mpint.subarray(start);
}

function bad(what: string, cause?: unknown): InvalidRequestError {
  return new InvalidRequestError(`public_key: ${what}`, cause === undefined ? undefined : { cause });
}
