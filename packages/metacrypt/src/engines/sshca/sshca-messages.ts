import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type {
  SignSSHCertResponseSchema,
  SSHCertSchema,
  SSHProfileRequest,
  SSHProfileSchema,
} from '@metacircular/proto/metacrypt/v1/sshca_pb';
import { formatGoDuration } from './go-duration.js';
import type { SignedCert } from './sign-cert.js';
import type { SSHProfile, SSHProfileInput } from './ssh-profile.js';
import type { SSHCertRecord } from './sshca-storage.js';

/** profileInputOf reads a CreateProfile / UpdateProfile request. */
export function profileInputOf(req: SSHProfileRequest): SSHProfileInput {
  return {
    name: req.name,
    certType: req.certType,
    allowedPrincipals: req.allowedPrincipals,
    defaultPrincipals: req.defaultPrincipals,
    maxTtl: req.maxTtl,
    defaultTtl: req.defaultTtl,
    extensions: req.extensions,
    criticalOptions: req.criticalOptions,
    allowedKeyTypes: req.allowedKeyTypes,
  };
}

/** profileMessage is a stored profile as the API returns it (durations as Go strings). */
export function profileMessage(p: SSHProfile): MessageInitShape<typeof SSHProfileSchema> {
  return {
    name: p.name,
    certType: p.certType,
    allowedPrincipals: [...p.allowedPrincipals],
    defaultPrincipals: [...p.defaultPrincipals],
    maxTtl: formatGoDuration(p.maxTtlMs),
    defaultTtl: formatGoDuration(p.defaultTtlMs),
    extensions: [...p.extensions],
    criticalOptions: { ...p.criticalOptions },
    allowedKeyTypes: [...p.allowedKeyTypes],
    createdAt: timestampFromDate(new Date(p.createdAt)),
    updatedAt: timestampFromDate(new Date(p.updatedAt)),
  };
}

/** signedMessage is a signing result as the API returns it. */
export function signedMessage(s: SignedCert): MessageInitShape<typeof SignSSHCertResponseSchema> {
  return {
    serial: BigInt(s.serial),
    certificate: s.certificate,
    validBefore: timestampFromDate(s.validBefore),
    validAfter: timestampFromDate(s.validAfter),
    keyId: s.keyId,
    principals: [...s.principals],
  };
}

/** certMessage is a certificate record as the API returns it. */
export function certMessage(r: SSHCertRecord): MessageInitShape<typeof SSHCertSchema> {
  return {
    serial: BigInt(r.serial),
    certType: r.certType,
    profile: r.profile,
    keyId: r.keyId,
    principals: [...r.principals],
    validAfter: timestampFromDate(new Date(r.validAfter)),
    validBefore: timestampFromDate(new Date(r.validBefore)),
    issuedBy: r.issuedBy,
    issuedAt: timestampFromDate(new Date(r.issuedAt)),
    keyType: r.keyType,
    fingerprint: r.fingerprint,
    certificate: r.certificate,
    revokedAt: r.revokedAt === undefined ? undefined : timestampFromDate(new Date(r.revokedAt)),
  };
}
