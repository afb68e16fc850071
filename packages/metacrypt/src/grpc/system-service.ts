import type { HandlerContext } from '@connectrpc/connect';
import {
  bearerToken,
  callerOf,
  ForbiddenError,
  peerAddressOf,
  registerService,
  UnauthenticatedError,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { SystemService } from '@metacircular/proto/metacrypt/v1/system_pb';
import type { Core } from '../core.js';
import { isLoopback } from './loopback.js';

/**
 * systemService serves the seal state machine. Status and Unseal are public (Unseal throttled
 * by SealManager); Init is public in the access table but allowed only from loopback or with
 * an MCIAS admin token (ARCHITECTURE.md: the first init happens before any policy exists, and
 * `mc up` / the operator run it on the host); Seal needs an admin (access table).
 */
export function systemService(core: Core): ServiceRegistration {
  return registerService(SystemService, {
    status() {
      return { state: core.seal.state, version: core.version };
    },

    async init(req, ctx) {
      await requireLocalOrAdmin(core, ctx);
      return { state: await core.seal.init(req.password) };
    },

    async unseal(req) {
      return { state: await core.seal.unseal(req.password) };
    },

    seal(_req, ctx) {
      core.logger.warn({ by: callerOf(ctx)?.username }, 'seal requested');
      return { state: core.seal.seal() };
    },
  });
}

/**
 * requireLocalOrAdmin lets init through for a loopback peer (the socket's address, never a
 * header) or a caller whose MCIAS token carries the admin role. A call that says it forwards
 * someone else's request (x-forwarded-for, as the web UI and proxies send) is not local
 * whatever its socket says: the web UI runs on this machine on behalf of remote browsers.
 */
async function requireLocalOrAdmin(core: Core, ctx: HandlerContext): Promise<void> {
  const forwarded = ctx.requestHeader.get('x-forwarded-for') !== null;
  if (!forwarded && isLoopback(peerAddressOf(ctx))) return;
  const token = bearerToken(ctx.requestHeader.get('authorization') ?? undefined);
  if (!token) throw new UnauthenticatedError('init needs an MCIAS admin token unless it comes from this machine');
  const caller = await core.authenticator.validate(token);
  if (!caller.isAdmin) throw new ForbiddenError('init needs an MCIAS admin token unless it comes from this machine');
}
