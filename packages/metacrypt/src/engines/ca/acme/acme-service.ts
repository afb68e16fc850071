import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  callerOf,
  InvalidRequestError,
  NotFoundError,
  registerService,
  UnauthenticatedError,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { AcmeService } from '@metacircular/proto/metacrypt/v1/acme_pb';
import type { EngineHost } from '../../../engine/index.js';
import type { CaEngine } from '../ca-types.js';
import { AcmeStore } from './acme-store.js';
import { createEab } from './eab.js';

/** defaultEabIssuer is the issuer an EAB request gets when it names none (spec §6.3). */
export const defaultEabIssuer = 'infra';

/**
 * acmeService serves CreateEAB (POST /v1/acme/{mount}/eab): an authenticated caller with the
 * policy action `acme` on `ca/{mount}/acme` gets one-time EAB credentials bound to their identity
 * and the chosen issuer. Checks, in order: caller present, mount is a live CA, issuer exists,
 * policy. The HMAC key is returned here once and never logged or audited.
 */
export function acmeService(host: EngineHost): ServiceRegistration {
  return registerService(AcmeService, {
    createEAB(req, context) {
      const caller = callerOf(context);
      if (!caller) throw new UnauthenticatedError();
      const engine = host.resolve<CaEngine>(req.mount, 'ca');
      const issuer = req.issuer === '' ? defaultEabIssuer : req.issuer;
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(issuer))
        throw new InvalidRequestError(`issuer "${issuer}" is not a valid issuer name`);
      const ctx = host.context(caller, req.mount);
      ctx.authorize('acme', `ca/${req.mount}/acme`);
      if (!engine.issuerNames().includes(issuer))
        throw new NotFoundError(`mount "${req.mount}" has no issuer "${issuer}"; create it or name another issuer`);
      const creds = createEab(new AcmeStore(engine.acmeStorage), caller, issuer, host.now());
      ctx.note({ kid: creds.kid, issuer });
      return { kid: creds.kid, hmacKey: creds.hmacKey, expiresAt: timestampFromDate(creds.expiresAt), issuer };
    },
  });
}
