import type { HandlerContext } from '@connectrpc/connect';
import {
  callerOf,
  InvalidRequestError,
  registerService,
  UnauthenticatedError,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { CAService } from '@metacircular/proto/metacrypt/v1/ca_pb';
import type { EngineHost, OpContext } from '../../engine/index.js';
import type { CaMountEngine } from './ca-engine.js';
import { certMessage, crlMessage, issuedMessage, issuerMessage, rootMessage } from './ca-messages.js';
import { parseProfile } from './leaf-profile.js';
import { parseTtl } from './lifetime.js';

/**
 * caService serves CAService over gRPC and, through its google.api.http annotations, REST. Each
 * handler resolves the mount (503 sealed, 404 unknown, 400 wrong type), builds the caller's
 * OpContext and hands the request to the engine, which validates it, asks policy and does the
 * work; the access table has already checked the level.
 */
export function caService(host: EngineHost): ServiceRegistration {
  const engineOf = (mount: string): CaMountEngine => {
    if (mount.trim() === '') throw new InvalidRequestError('mount: required');
    return host.resolve<CaMountEngine>(mount, 'ca');
  };
  const withCaller = (mount: string, ctx: HandlerContext): { engine: CaMountEngine; op: OpContext } => {
    const caller = callerOf(ctx);
    if (!caller) throw new UnauthenticatedError();
    const engine = engineOf(mount);
    return { engine, op: host.context(caller, mount) };
  };
  const rootResult = (engine: CaMountEngine, issuers: readonly { name: string }[]) => ({
    root: rootMessage(engine.root()),
    issuers: issuers.map((i) => issuerMessage(engine.issuer(i.name))),
  });

  return registerService(CAService, {
    generateRoot(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      const result = engine.generateRoot(op, { subject: req.subject, keyType: req.keyType, ttl: req.ttl });
      return rootResult(engine, result.issuers);
    },
    importRoot(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      const result = engine.importRoot(op, { certPem: req.certPem, keyPem: req.keyPem });
      return rootResult(engine, result.issuers);
    },
    getRoot(req) {
      return rootMessage(engineOf(req.mount).root('not-found'));
    },
    getChain(req) {
      return { chainPem: engineOf(req.mount).chainPem(req.issuer) };
    },
    createIssuer(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      return issuerMessage(
        engine.createIssuer(op, {
          name: req.name,
          subject: req.subject,
          keyType: req.keyType,
          ttl: req.ttl,
          maxTtl: req.maxTtl,
          allowedProfiles: req.allowedProfiles,
          permittedDnsDomains: req.permittedDnsDomains,
          excludedDnsDomains: req.excludedDnsDomains,
        }),
      );
    },
    listIssuers(req) {
      const engine = engineOf(req.mount);
      return { issuers: engine.issuerNames().map((n) => issuerMessage(engine.issuer(n))) };
    },
    getIssuer(req) {
      return issuerMessage(engineOf(req.mount).issuer(req.name));
    },
    issueCert(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      const issued = engine.issue(op, {
        issuer: req.issuer,
        commonName: req.commonName,
        sans: req.sans,
        ipSans: req.ipSans,
        profile: req.profile,
        ttl: req.ttl,
        keyType: req.keyType,
      });
      return issuedMessage(issued);
    },
    signCSR(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      const ttlMs = req.ttl.trim() === '' ? undefined : parseTtl(req.ttl, 'ttl', 0);
      const profile = req.profile.trim() === '' ? undefined : parseProfile(req.profile);
      return issuedMessage(engine.signCsr(op, { issuer: req.issuer, csr: req.csrPem, profile, ttlMs }));
    },
    renewCert(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      return issuedMessage(engine.renew(op, { serial: req.serial, ttl: req.ttl, csrPem: req.csrPem }));
    },
    revokeCert(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      return certMessage(engine.revoke(op, req.serial, req.reason));
    },
    listCerts(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      return { certs: engine.listCerts(op, { issuer: req.issuer, revokedOnly: req.revoked }).map((r) => certMessage(r, false)) };
    },
    getCert(req, ctx) {
      const { engine, op } = withCaller(req.mount, ctx);
      return certMessage(engine.getCert(op, req.serial));
    },
    getCRL(req) {
      const engine = engineOf(req.mount);
      if (req.issuer.trim() === '') throw new InvalidRequestError('issuer: required');
      return crlMessage(req.issuer, engine.crl(req.issuer));
    },
  });
}
