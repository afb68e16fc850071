import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** TestLeaf is one issued certificate, as PEM and as files in the PKI's directory. */
export interface TestLeaf {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * TestPKI is a throwaway certificate authority and one server leaf in a temp directory:
 * `ca.pem`, `ca-key.pem`, `cert.pem`, `key.pem`. It exists for tests only.
 */
export interface TestPKI extends TestLeaf {
  readonly caCert: string;
  readonly caKey: string;
  readonly caPath: string;
  readonly dir: string;
  /** issue signs one more leaf with the same CA, written as `<label>.pem` / `<label>-key.pem` */
  issue(opts: { names?: readonly string[]; label: string; commonName?: string }): Promise<TestLeaf>;
  /** cleanup removes the directory and everything in it */
  cleanup(): Promise<void>;
}

// The provider is passed to every call rather than set globally, so importing this module
// changes nothing for other users of @peculiar/x509 in the same process.
const provider = webcrypto;
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const hourMs = 3_600_000;

/**
 * createTestPKI generates an ECDSA P-256 CA and a leaf valid for TLS server and client auth,
 * with SANs `DNS:localhost`, `IP:127.0.0.1`, `IP:::1` plus `names` (IP literals become IP SANs).
 * The leaf is valid from an hour ago for a day, so clock skew in CI does not matter.
 */
export async function createTestPKI(opts: { names?: readonly string[] } = {}): Promise<TestPKI> {
  const dir = await mkdtemp(join(tmpdir(), 'mc-test-pki-'));
  const caKeys = await newKeyPair();
  const caName = 'CN=Metacircular Test CA';
  const caCertificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: caName,
      keys: caKeys,
      signingAlgorithm,
      ...validity(),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, provider),
      ],
    },
    provider,
  );
  const caCert = caCertificate.toString('pem') + '\n';
  const caKey = await keyPEM(caKeys.privateKey);
  const caPath = join(dir, 'ca.pem');
  await writeFile(caPath, caCert);
  await writeFile(join(dir, 'ca-key.pem'), caKey, { mode: 0o600 });

  const issue = async (leaf: { names?: readonly string[]; label: string; commonName?: string }): Promise<TestLeaf> => {
    const keys = await newKeyPair();
    const certificate = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serial(),
        subject: `CN=${leaf.commonName ?? 'localhost'}`,
        issuer: caCertificate.subject,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm,
        ...validity(),
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
          new x509.SubjectAlternativeNameExtension(subjectAltNames(leaf.names ?? [])),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
          await x509.AuthorityKeyIdentifierExtension.create(caCertificate, false, provider),
        ],
      },
      provider,
    );
    const cert = certificate.toString('pem') + '\n';
    const key = await keyPEM(keys.privateKey);
    const certPath = join(dir, `${leaf.label}.pem`);
    const keyPath = join(dir, `${leaf.label}-key.pem`);
    await writeFile(certPath, cert);
    await writeFile(keyPath, key, { mode: 0o600 });
    return { cert, key, certPath, keyPath };
  };

  const server = await issue({ names: opts.names ?? [], label: 'cert' });
  // The server leaf's key is named key.pem rather than cert-key.pem, as services expect.
  const keyPath = join(dir, 'key.pem');
  await writeFile(keyPath, server.key, { mode: 0o600 });
  await rm(server.keyPath);

  return {
    caCert,
    caKey,
    caPath,
    dir,
    cert: server.cert,
    key: server.key,
    certPath: server.certPath,
    keyPath,
    issue,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function subjectAltNames(names: readonly string[]): x509.JsonGeneralNames {
  const all = ['localhost', '127.0.0.1', '::1', ...names];
  const unique = [...new Set(all)];
  return unique.map((value) => ({ type: isIP(value) ? 'ip' : 'dns', value }));
}

async function newKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return provider.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
}

async function keyPEM(key: webcrypto.CryptoKey): Promise<string> {
  const der = await provider.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - hourMs), notAfter: new Date(now + 24 * hourMs) };
}

// A positive 16-byte serial: the top bit is cleared so DER never needs a sign byte.
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}
