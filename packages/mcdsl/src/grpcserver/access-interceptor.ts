import type { Interceptor } from '@connectrpc/connect';
import { bearerToken, enforceAccess, type AccessContext, type AccessTable, type Caller } from '../access/index.js';
import { McError } from '../errors/index.js';
import { toConnectError } from './error-codes.js';
import { callerKey, peerAddressKey } from './service-registration.js';

/** RPC errors are reported through this hook so the edge can log what the caller does not see. */
export type RpcErrorListener = (procedure: string, err: unknown) => void;

/** RefusalInfo describes one call the access check refused, before any handler ran. */
export interface RefusalInfo {
  /** the access-table key, `/<package>.<Service>/<Method>` */
  readonly procedure: string;
  /** the TCP peer's IP address */
  readonly peerAddress: string | undefined;
  /** why: unauthenticated, forbidden, sealed (an unexpected failure is an 'internal' McError) */
  readonly error: McError;
  /** who, when the token was valid but the rule refused it (guest, not admin) */
  readonly caller?: Caller;
}

/** RefusalListener is told about each call the access check refused (for an audit trail). */
export type RefusalListener = (info: RefusalInfo) => void;

/**
 * accessInterceptor enforces the access table on every RPC before its handler runs, stores the
 * caller in the context values for callerOf, and turns whatever the handler threw into a
 * ConnectError with the matching code. It is the first interceptor, so nothing runs unchecked.
 * Refusals by the check itself go to onRefused once each; a throwing listener is logged through
 * onError and never changes the answer the caller gets.
 */
export function accessInterceptor(
  table: AccessTable,
  ctx: AccessContext,
  onError?: RpcErrorListener,
  onRefused?: RefusalListener,
): Interceptor {
  return (next) => async (req) => {
    const procedure = `/${req.service.typeName}/${req.method.name}`;
    // The caller is remembered as soon as the token validates, so a refusal after that (guest,
    // not admin) can say who was refused; enforceAccess itself only throws.
    let authenticated: Caller | undefined;
    const authenticate = ctx.authenticate;
    // (only when someone listens for refusals: the common path allocates nothing per call)
    const checkCtx: AccessContext =
      onRefused && authenticate ? { ...ctx, authenticate: async (token) => (authenticated = await authenticate(token)) } : ctx;
    let caller: Caller | undefined;
    try {
      caller = await enforceAccess(table[procedure], bearerToken(req.header.get('authorization') ?? undefined), checkCtx);
    } catch (err) {
      onError?.(procedure, err);
      if (onRefused) {
        const error = err instanceof McError ? err : new McError('internal', 'ERR_INTERNAL', 'internal error', { cause: err });
        const peerAddress = req.contextValues.get(peerAddressKey);
        try {
          onRefused({ procedure, peerAddress, error, ...(authenticated ? { caller: authenticated } : {}) });
        } catch (listenerErr) {
          onError?.(procedure, listenerErr);
        }
      }
      throw toConnectError(err);
    }
    req.contextValues.set(callerKey, caller);
    try {
      return await next(req);
    } catch (err) {
      onError?.(procedure, err);
      throw toConnectError(err);
    }
  };
}
