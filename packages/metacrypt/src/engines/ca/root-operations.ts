import type { KeyObject } from 'node:crypto';
import { ConflictError } from '@metacircular/mcdsl';
import type { OpContext } from '../../engine/index.js';
import { checkImportedRoot, parseCaCertificate, signerOf, type CaCertificate } from './ca-certificate.js';
import type { CaContext } from './ca-context.js';
import type { LoadedRoot } from './ca-keyring.js';
import type { IssuerRecord, RootRecord } from './ca-store.js';
import { signCertificate } from './certificate-builder.js';
import { rootExtensions, subjectKeyId } from './certificate-extensions.js';
import { signNextCrl } from './crl-signing.js';
import { parseSubject } from './distinguished-name.js';
import { buildIssuer } from './issuer-operations.js';
import { generateKey, importPrivateKey, keyTypeOf, parseKeyType, spkiOf, type CaKeyType } from './key-material.js';
import { parseTtl, validityWithin } from './lifetime.js';
import { onePemBlock, toPem } from './pem.js';
import { randomSerial } from './serial-number.js';

/**
 * The root of a mount: generated here (ECDSA or Ed25519; never RSA) or imported with its key
 * (RSA allowed, for the platform's existing offline root). A mount has exactly one root for
 * life; a second generate or import is a conflict. The issuers the mount's config lists in
 * default_issuers are created with the root, in the same transaction.
 */

/** GenerateRootRequest is generate-root's input. */
export interface GenerateRootRequest {
  readonly subject?: string;
  readonly keyType?: string;
  readonly ttl?: string;
}

/** ImportRootRequest is import-root's input. */
export interface ImportRootRequest {
  readonly certPem: string;
  readonly keyPem: string;
}

/** RootResult is the new root and the default issuers made with it. */
export interface RootResult {
  readonly root: RootRecord;
  readonly issuers: readonly IssuerRecord[];
}

/** defaultRootTtlMs is a generated root's lifetime when none is given: 10 years. */
export const defaultRootTtlMs = 87_600 * 3_600_000;

/** maxRootTtlMs caps a generated root's lifetime at 50 years. */
export const maxRootTtlMs = 5 * defaultRootTtlMs;

/** generateRoot makes a self-signed root and the default issuers. */
export function generateRoot(c: CaContext, ctx: OpContext, req: GenerateRootRequest): RootResult {
  refuseSecondRoot(c);
  const now = c.now();
  const keyType = parseKeyType(req.keyType);
  const subject = parseSubject(req.subject?.trim() || `CN=Metacrypt ${c.mount} Root CA`);
  const ttlMs = parseTtl(req.ttl, 'ttl', defaultRootTtlMs);
  const validity = validityWithin(now, ttlMs, maxRootTtlMs, new Date(8.64e15));
  const { privateKey } = generateKey(keyType);
  const spki = spkiOf(privateKey);
  const der = signCertificate(
    {
      serial: randomSerial().bytes,
      subject,
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      spki,
      extensions: rootExtensions(subjectKeyId(spki)),
    },
    { key: privateKey, keyType, name: subject },
  );
  const pem = toPem(der, 'CERTIFICATE');
  return storeRoot(c, ctx, parseCaCertificate(der, pem), privateKey, keyType, false);
}

/** importRoot checks and stores an existing root with its key, then creates the default issuers. */
export function importRoot(c: CaContext, ctx: OpContext, req: ImportRootRequest): RootResult {
  refuseSecondRoot(c);
  const der = onePemBlock(req.certPem ?? '', ['CERTIFICATE'], 'cert_pem');
  const key = importPrivateKey(req.keyPem ?? '', 'key_pem');
  const keyType = keyTypeOf(key, 'key_pem');
  const cert = checkImportedRoot(der, toPem(der, 'CERTIFICATE'), key, c.now());
  return storeRoot(c, ctx, cert, key, keyType, true);
}

function refuseSecondRoot(c: CaContext): void {
  if (c.keyring.hasRoot()) {
    throw new ConflictError(`mount ${c.mount} already has a root CA; a new hierarchy needs a new mount`, {
      code: 'ERR_ROOT_EXISTS',
    });
  }
}

function storeRoot(
  c: CaContext,
  ctx: OpContext,
  cert: CaCertificate,
  key: KeyObject,
  keyType: CaKeyType,
  imported: boolean,
): RootResult {
  const now = c.now();
  const record: RootRecord = { certPem: cert.pem, keyType, imported, createdAt: now.toISOString() };
  const loaded: LoadedRoot = { record, cert, signer: signerOf(cert, key, keyType) };
  // Build everything first, so a bad default issuer leaves the mount without a root, not half made.
  const issuers = c.settings.defaultIssuers.map((name) => buildIssuer(c, loaded, { name }));
  const rootCrl = signNextCrl(loaded.signer, cert, undefined, [], now);
  c.store.view.transaction(() => {
    c.store.putRoot(record);
    c.store.putRootKey(key);
    c.store.putCrl(undefined, rootCrl);
    for (const issuer of issuers) {
      c.store.putIssuer(issuer.record);
      c.store.putIssuerKey(issuer.record.name, issuer.key);
      c.store.putCrl(issuer.record.name, issuer.crl);
    }
  });
  ctx.note({ serial: cert.serialHex, key_type: keyType, imported, issuers: issuers.map((i) => i.record.name) });
  return { root: record, issuers: issuers.map((i) => i.record) };
}
