// Typed gRPC clients for the tests: Connect's gRPC (not Connect-protocol) transport over
// HTTP/2 with TLS, trusting only the test CA, so calls use the wire protocol stock gRPC
// clients use. Shared by the api-* and authz-* tests.
import type { DescService } from '@bufbuild/protobuf';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';

/** GrpcClients makes typed clients on one HTTP/2 connection; close() drops it. */
export interface GrpcClients {
  client<S extends DescService>(service: S): Client<S>;
  close(): void;
}

/** grpcClients connects to `url` (https://host:port) with `ca` as the only trust anchor. */
export function grpcClients(url: string, ca: string): GrpcClients {
  const sessionManager = new Http2SessionManager(url, {}, { ca, minVersion: 'TLSv1.3' });
  const transport = createGrpcTransport({ baseUrl: url, sessionManager });
  return {
    client: (service) => createClient(service, transport),
    close: () => sessionManager.abort(),
  };
}

/** bearer is the call option carrying a token as gRPC metadata. */
export function bearer(token: string | undefined): { headers: Record<string, string> } {
  return { headers: token ? { authorization: `Bearer ${token}` } : {} };
}
