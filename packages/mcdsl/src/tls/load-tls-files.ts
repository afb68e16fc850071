import { readFile } from 'node:fs/promises';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { InvalidRequestError } from '../errors/index.js';

/** TLSMaterial is the PEM content a listener or client needs, already read from disk. */
export interface TLSMaterial {
  /** the certificate chain, leaf first */
  readonly cert: Buffer;
  readonly key: Buffer;
  /** extra trust anchors (a private CA); absent means the system roots */
  readonly ca?: Buffer;
}

/** TLSFilePaths names the PEM files of one TLS setup, as given in a service's config. */
export interface TLSFilePaths {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
}

/**
 * TLSConfigKeys are the config keys the paths came from, so that an error points at the line
 * of the TOML file the operator has to fix.
 */
export interface TLSConfigKeys {
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
}

const defaultKeys = { cert: 'server.tls_cert', key: 'server.tls_key', ca: 'server.tls_ca' } as const;

/**
 * loadTLSFiles reads the PEM files of a TLS setup and checks them before any listener starts,
 * so a bad path or a key that does not match its certificate stops the service with a message
 * naming the file and its config key instead of failing on the first handshake. Each failure is
 * an InvalidRequestError with code ERR_TLS_FILE.
 */
export async function loadTLSFiles(paths: TLSFilePaths, keys: TLSConfigKeys = {}): Promise<TLSMaterial> {
  const names = { ...defaultKeys, ...keys };
  const cert = await readPEM(paths.cert, names.cert, 'certificate');
  const key = await readPEM(paths.key, names.key, 'private key');
  parseCertificate(cert, paths.cert, names.cert);
  let ca: Buffer | undefined;
  if (paths.ca) {
    ca = await readPEM(paths.ca, names.ca, 'ca certificate');
    parseCertificate(ca, paths.ca, names.ca);
  }
  try {
    createPrivateKey(key);
  } catch (err) {
    throw tlsFileError(`${names.key}: "${paths.key}" is not a readable pem private key; point it at the key file`, err);
  }
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw tlsFileError(
      `${names.key}: "${paths.key}" does not match the certificate in ${names.cert} ("${paths.cert}"); use the key the certificate was issued for`,
      err,
    );
  }
  return ca ? { cert, key, ca } : { cert, key };
}

async function readPEM(path: string, configKey: string, what: string): Promise<Buffer> {
  if (!path) throw tlsFileError(`${configKey} is required: set it to the path of a pem ${what} file`);
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read';
    throw tlsFileError(`${configKey}: "${path}" ${reason}; set it to a readable pem ${what} file`, err);
  }
  if (!content.includes('-----BEGIN ')) {
    throw tlsFileError(`${configKey}: "${path}" is not a pem file; it must hold a pem ${what}`);
  }
  return content;
}

function parseCertificate(pem: Buffer, path: string, configKey: string): void {
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw tlsFileError(`${configKey}: "${path}" does not hold a valid pem certificate`, err);
  }
}

function tlsFileError(message: string, cause?: unknown): InvalidRequestError {
  return new InvalidRequestError(message, { code: 'ERR_TLS_FILE', cause });
}
