import type { DescService } from '@bufbuild/protobuf';
import { createContextKey, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { Caller } from '../access/index.js';

/**
 * ServiceRegistration pairs a generated service descriptor with its implementation. The same
 * registration is served over gRPC (createGrpcServer) and over REST (registerTranscodedRoutes),
 * which is how "every REST endpoint has an RPC and vice versa" holds by construction.
 */
export interface ServiceRegistration {
  readonly service: DescService;
  readonly impl: Partial<ServiceImpl<DescService>>;
}

/** registerService builds a ServiceRegistration with the implementation type-checked. */
export function registerService<S extends DescService>(service: S, impl: ServiceImpl<S>): ServiceRegistration {
  return { service, impl: impl as unknown as Partial<ServiceImpl<DescService>> };
}

/** callerKey carries the authenticated Caller from the access check to the handler. */
export const callerKey = createContextKey<Caller | undefined>(undefined, { description: 'mcdsl caller' });

/** peerAddressKey carries the client's IP address (the TCP peer) to the handler. */
export const peerAddressKey = createContextKey<string | undefined>(undefined, { description: 'mcdsl peer address' });

/**
 * peerAddressOf returns the IP address the call came from: the TCP peer on gRPC and on REST.
 * It is the socket's address, never a header, so a client cannot choose it.
 */
export function peerAddressOf(context: HandlerContext): string | undefined {
  return context.values.get(peerAddressKey);
}

/** callerOf returns who made the call (undefined for a public call made without a token). */
export function callerOf(context: HandlerContext): Caller | undefined {
  return context.values.get(callerKey);
}

/** procedureOf is the access-table key of an RPC: `/<package>.<Service>/<Method>`. */
export function procedureOf(service: DescService, methodName: string): string {
  return `/${service.typeName}/${methodName}`;
}
