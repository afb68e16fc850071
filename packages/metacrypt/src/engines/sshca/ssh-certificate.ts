import { randomBytes } from 'node:crypto';
import type { SSHCAKey } from './ssh-ca-key.js';
import type { SSHPublicKey } from './ssh-public-key.js';
import { SSHWriter } from './ssh-wire.js';

/** SSHCertType is an OpenSSH certificate's type. */
export type SSHCertType = 'user' | 'host';

const certTypeCodes: Readonly<Record<SSHCertType, number>> = { user: 1, host: 2 };

/** CertificateFields is what goes into one certificate besides the key, the nonce and the CA. */
export interface CertificateFields {
  readonly key: SSHPublicKey;
  readonly serial: bigint | number;
  readonly certType: SSHCertType;
  readonly keyId: string;
  readonly principals: readonly string[];
  /** seconds since the epoch */
  readonly validAfter: number;
  readonly validBefore: number;
  /** name -> value (force-command, source-address) */
  readonly criticalOptions: Readonly<Record<string, string>>;
  /** flag extensions (permit-pty, ...) */
  readonly extensions: readonly string[];
}

/**
 * signSSHCertificate encodes and signs an OpenSSH certificate (PROTOCOL.certkeys): the
 * certificate algorithm, a 32-byte random nonce, the subject key's own fields, serial, type, key
 * id, principals, validity, critical options and extensions (each sorted by name, as OpenSSH
 * requires), an empty reserved field, the CA public key, then the CA's signature over all of it.
 * It returns the certificate blob and its `*-cert.pub` line.
 */
export function signSSHCertificate(fields: CertificateFields, ca: SSHCAKey): { blob: Buffer; line: string } {
  const principals = new SSHWriter();
  for (const p of fields.principals) principals.string(p);

  const options = new SSHWriter();
  for (const name of Object.keys(fields.criticalOptions).sort()) {
    // An option's data is itself a string holding the value.
    options.string(name).string(new SSHWriter().string(fields.criticalOptions[name] ?? '').finish());
  }
  const extensions = new SSHWriter();
  for (const name of [...new Set(fields.extensions)].sort()) extensions.string(name).string('');

  const body = new SSHWriter()
    .string(fields.key.certAlgorithm)
    .string(randomBytes(32))
    .raw(fields.key.keyFields)
    .uint64(fields.serial)
    .uint32(certTypeCodes[fields.certType])
    .string(fields.keyId)
    .string(principals.finish())
    .uint64(fields.validAfter)
    .uint64(fields.validBefore)
    .string(options.finish())
    .string(extensions.finish())
    .string('')
    .string(ca.publicBlob)
    .finish();
  const blob = Buffer.concat([body, new SSHWriter().string(ca.sign(body)).finish()]);
  return { blob, line: `${fields.key.certAlgorithm} ${blob.toString('base64')} ${fields.keyId}` };
}
