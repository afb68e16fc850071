import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext } from '@connectrpc/connect';
import {
  callerOf,
  InvalidRequestError,
  registerService,
  UnauthenticatedError,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { SSHCAService } from '@metacircular/proto/metacrypt/v1/sshca_pb';
import type { EngineHost, OpContext } from '../../engine/index.js';
import { certMessage, profileInputOf, profileMessage, signedMessage } from './sshca-messages.js';
import type { SSHCAEngine } from './sshca-engine.js';

/**
 * sshcaService serves SSHCAService over gRPC and, through its google.api.http rules, REST. Each
 * handler resolves the mount's live engine (503 while sealed, 404 for an unknown mount) and
 * hands it the caller's OpContext; the engine does the checks and the audit detail.
 */
export function sshcaService(host: EngineHost): ServiceRegistration {
  const engine = (mount: string): SSHCAEngine => host.resolve<SSHCAEngine>(mount, 'sshca');
  const context = (ctx: HandlerContext, mount: string): OpContext => {
    const caller = callerOf(ctx);
    if (!caller) throw new UnauthenticatedError();
    return host.context(caller, mount);
  };

  return registerService(SSHCAService, {
    getCAPublicKey(req) {
      const keys = engine(req.mount).caPublicKeys();
      return { userCaKey: keys.user, hostCaKey: keys.host, shared: keys.shared };
    },

    signUserCert(req, ctx) {
      const e = engine(req.mount);
      return signedMessage(e.signUserCert(context(ctx, req.mount), req));
    },

    signHostCert(req, ctx) {
      const e = engine(req.mount);
      return signedMessage(e.signHostCert(context(ctx, req.mount), req));
    },

    createProfile(req, ctx) {
      const e = engine(req.mount);
      return profileMessage(e.createProfile(context(ctx, req.mount), profileInputOf(req)));
    },

    updateProfile(req, ctx) {
      const e = engine(req.mount);
      return profileMessage(e.updateProfile(context(ctx, req.mount), profileInputOf(req)));
    },

    deleteProfile(req, ctx) {
      const e = engine(req.mount);
      e.deleteProfile(context(ctx, req.mount), req.name);
      return {};
    },

    listProfiles(req) {
      return { profiles: engine(req.mount).listProfiles().map(profileMessage) };
    },

    getProfile(req) {
      return profileMessage(engine(req.mount).getProfile(req.name));
    },

    revokeCert(req, ctx) {
      const e = engine(req.mount);
      if (req.serial > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidRequestError('serial: no such serial on this mount');
      return certMessage(e.revoke(context(ctx, req.mount), Number(req.serial)));
    },

    listCerts(req) {
      return { certs: engine(req.mount).listCerts().map(certMessage) };
    },

    getKRL(req) {
      const snapshot = engine(req.mount).krl();
      return { krl: snapshot.krl, version: snapshot.version, generatedAt: timestampFromDate(snapshot.generatedAt) };
    },
  });
}
