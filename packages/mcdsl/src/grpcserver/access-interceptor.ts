import type { Interceptor } from '@connectrpc/connect';
import { bearerToken, enforceAccess, type AccessContext, type AccessTable } from '../access/index.js';
import { toConnectError } from './error-codes.js';
import { callerKey } from './service-registration.js';

/** RPC errors are reported through this hook so the edge can log what the caller does not see. */
export type RpcErrorListener = (procedure: string, err: unknown) => void;

/**
 * accessInterceptor enforces the access table on every RPC before its handler runs, stores the
 * caller in the context values for callerOf, and turns whatever the handler threw into a
 * ConnectError with the matching code. It is the first interceptor, so nothing runs unchecked.
 */
export function accessInterceptor(table: AccessTable, ctx: AccessContext, onError?: RpcErrorListener): Interceptor {
  return (next) => async (req) => {
    const procedure = `/${req.service.typeName}/${req.method.name}`;
    try {
      const caller = await enforceAccess(table[procedure], bearerToken(req.header.get('authorization') ?? undefined), ctx);
      req.contextValues.set(callerKey, caller);
      return await next(req);
    } catch (err) {
      onError?.(procedure, err);
      throw toConnectError(err);
    }
  };
}
