import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextValues, createHandlerContext, type Transport } from '@connectrpc/connect';
import {
  callerKey,
  enforceAccess,
  peerAddressKey,
  procedureOf,
  type AccessTable,
  type Authenticate,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { peerAddressHeader } from '../grpc/index.js';

/** InProcessServer is what the web UI calls into: the RPC services and the rules they are served under. */
export interface InProcessServer {
  /** the same registrations the gRPC server and the REST transcoding serve */
  readonly services: readonly ServiceRegistration[];
  /** the one access table (its RPC rows are looked up by procedure) */
  readonly access: AccessTable;
  readonly authenticate: Authenticate;
  readonly isSealed: () => boolean;
}

/** InProcessCall is who a web request calls as: the session token (if any) and the client address. */
export interface InProcessCall {
  readonly token: string | undefined;
  readonly ip: string;
  /** the web route, for the handler context (never interpreted) */
  readonly url: string;
}

/**
 * inProcessTransport is a Connect transport that calls the RPC implementations directly, with no
 * network in between, exactly as the REST surface does after its access hook:
 *   1. the RPC's row in the access table is enforced with mcdsl's enforceAccess on the session
 *      token (sealed, level, guests), the same function both servers run
 *   2. the handler gets a context with the caller and the client address, plus the token as an
 *      Authorization header (self-checking public RPCs such as Logout read it)
 *   3. the handler runs: its policy checks, audit records and errors are the API's own
 * So a web page can do nothing the same token could not do through the API. Errors propagate
 * unchanged (McErrors, or a ConnectError for rate limits) for the web error handler to render.
 */
export function inProcessTransport(server: InProcessServer, call: InProcessCall): Transport {
  const registrations = new Map(server.services.map((r) => [r.service.typeName, r]));
  return {
    async unary(method, signal, _timeoutMs, _header, input) {
      const procedure = procedureOf(method.parent, method.name);
      const registration = registrations.get(method.parent.typeName);
      const impl = registration?.impl[method.localName] as ((req: unknown, ctx: unknown) => unknown) | undefined;
      if (!registration || !impl) throw new ConnectError(`${procedure} is not served`, Code.Unimplemented);

      const caller = await enforceAccess(server.access[procedure], call.token, {
        authenticate: server.authenticate,
        isSealed: server.isSealed,
      });
      const values = createContextValues();
      values.set(callerKey, caller);
      values.set(peerAddressKey, call.ip);
      const requestHeader = new Headers({ [peerAddressHeader]: call.ip });
      if (call.token) requestHeader.set('authorization', `Bearer ${call.token}`);
      const ctx = createHandlerContext({
        service: registration.service,
        method,
        // 'rest': the handlers read the client address from the peer header on that protocol
        protocolName: 'rest',
        requestMethod: 'POST',
        url: call.url,
        requestHeader,
        contextValues: values,
        ...(signal ? { requestSignal: signal } : {}),
      });
      const result = await impl.call(registration.impl, create(method.input, input), ctx);
      return {
        stream: false,
        service: registration.service,
        method,
        header: new Headers(),
        trailer: new Headers(),
        message: create(method.output, result as never),
      };
    },
    stream() {
      return Promise.reject(new ConnectError('streaming RPCs are not called in process', Code.Unimplemented));
    },
  };
}
