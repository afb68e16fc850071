// A gRPC client for the core tests: Connect's gRPC transport over HTTP/2 + TLS 1.3, trusting
// only the test CA, so calls use the wire protocol stock gRPC clients use.
import type { DescService } from '@bufbuild/protobuf';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';

/** GrpcClients makes clients on one HTTP/2 connection; close() drops it. */
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
export function bearer(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}` } };
}
