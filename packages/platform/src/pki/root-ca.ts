import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { PreconditionError } from '@metacircular/mcdsl';
import { writeFileAtomic } from '../atomic-write.js';
import { readSecretFile, writeSecretFile } from '../secret-file.js';
import {
  importSigningKey,
  newKeyPair,
  privateKeyPEM,
  provider,
  randomSerial,
  signingAlgorithm,
  validityFor,
} from './key-material.js';

/** rootCALifetimeDays is ten years: the seed CA is trusted once and should outlive its leaves. */
export const rootCALifetimeDays = 3650;

/** RootCA is the platform's seed certificate authority, loaded and ready to sign leaves. */
export interface RootCA {
  readonly certPath: string;
  readonly certPem: string;
  /** the certificate as @peculiar/x509 sees it, for issuer name and authority key id */
  readonly certificate: x509.X509Certificate;
  /** the certificate as node sees it, for verification of leaves and the fingerprint */
  readonly nodeCertificate: X509Certificate;
  readonly signingKey: webcrypto.CryptoKey;
  /** SHA-256 fingerprint, colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it */
  readonly fingerprint256: string;
  /** true when this call generated the CA, false when it loaded an existing one */
  readonly created: boolean;
}

/**
 * ensureRootCA loads the seed root CA from `certPath` (pki/ca.pem) and `keyPath`
 * (secrets/ca.key), or creates it when neither exists: ECDSA P-256, ten years, CA:TRUE,
 * keyCertSign + cRLSign. It refuses to pair a certificate with a missing or foreign key, or to
 * use an expired CA: replacing the CA silently would break every client that trusts it.
 */
export async function ensureRootCA(paths: { certPath: string; keyPath: string }): Promise<RootCA> {
  const certPem = readOptional(paths.certPath);
  const keyPem = readOptional(paths.keyPath, true);
  if (certPem === undefined && keyPem === undefined) return createRootCA(paths);
  if (certPem === undefined || keyPem === undefined) {
    const [present, missing] = certPem === undefined ? [paths.keyPath, paths.certPath] : [paths.certPath, paths.keyPath];
    throw new PreconditionError(
      `${present} exists but ${missing} does not; restore ${missing}, or remove ${present} to create a new CA (every service certificate is then reissued)`,
    );
  }
  const nodeCertificate = new X509Certificate(certPem);
  if (!nodeCertificate.checkPrivateKey(createPrivateKey(keyPem))) {
    throw new PreconditionError(`${paths.keyPath} is not the key of ${paths.certPath}; restore the matching pair`);
  }
  if (Date.parse(nodeCertificate.validTo) <= Date.now()) {
    throw new PreconditionError(
      `root CA ${paths.certPath} expired on ${nodeCertificate.validTo}; remove it and ${paths.keyPath} to create a new one`,
    );
  }
  return {
    certPath: paths.certPath,
    certPem,
    certificate: new x509.X509Certificate(certPem),
    nodeCertificate,
    signingKey: await importSigningKey(keyPem),
    fingerprint256: nodeCertificate.fingerprint256,
    created: false,
  };
}

async function createRootCA(paths: { certPath: string; keyPath: string }): Promise<RootCA> {
  const keys = await newKeyPair();
  const serialNumber = randomSerial();
  // The serial's first bytes make the name unique, so two platforms' CAs are told apart in a trust store.
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber,
      name: `CN=Metacircular Seed Root CA ${serialNumber.slice(0, 8)}, O=Metacircular`,
      keys,
      signingAlgorithm,
      ...validityFor(rootCALifetimeDays),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
      ],
    },
    provider,
  );
  const certPem = certificate.toString('pem') + '\n';
  // Key first: a crash between the two writes leaves a key without a cert, which the next run
  // reports instead of silently minting a second CA.
  writeSecretFile(paths.keyPath, await privateKeyPEM(keys.privateKey));
  writeFileAtomic(paths.certPath, certPem, 0o644);
  const nodeCertificate = new X509Certificate(certPem);
  return {
    certPath: paths.certPath,
    certPem,
    certificate,
    nodeCertificate,
    signingKey: keys.privateKey,
    fingerprint256: nodeCertificate.fingerprint256,
    created: true,
  };
}

function readOptional(path: string, secret = false): string | undefined {
  try {
    return secret ? readSecretFile(path) : readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
