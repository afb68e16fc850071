import type { DescService } from '@bufbuild/protobuf';
import { createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { AcmeService } from '@metacircular/proto/metacrypt/v1/acme_pb';
import { AuditService } from '@metacircular/proto/metacrypt/v1/audit_pb';
import { AuthService } from '@metacircular/proto/metacrypt/v1/auth_pb';
import { CAService } from '@metacircular/proto/metacrypt/v1/ca_pb';
import { MountService } from '@metacircular/proto/metacrypt/v1/mount_pb';
import { PolicyService } from '@metacircular/proto/metacrypt/v1/policy_pb';
import { SSHCAService } from '@metacircular/proto/metacrypt/v1/sshca_pb';
import { SystemService } from '@metacircular/proto/metacrypt/v1/system_pb';
import { TransitService } from '@metacircular/proto/metacrypt/v1/transit_pb';
import { UserService } from '@metacircular/proto/metacrypt/v1/user_pb';

/** Api is the Metacrypt API as one browser request may call it: every service, one client each. */
export interface Api {
  readonly system: Client<typeof SystemService>;
  readonly auth: Client<typeof AuthService>;
  readonly mounts: Client<typeof MountService>;
  readonly policy: Client<typeof PolicyService>;
  readonly audit: Client<typeof AuditService>;
  readonly ca: Client<typeof CAService>;
  readonly acme: Client<typeof AcmeService>;
  readonly sshca: Client<typeof SSHCAService>;
  readonly transit: Client<typeof TransitService>;
  readonly user: Client<typeof UserService>;
}

/** CallIdentity is who a call is made for: the session's MCIAS token (if any) and the browser's address. */
export interface CallIdentity {
  readonly token?: string | undefined;
  readonly ip: string;
}

/** ApiConnection is the web UI's one HTTP/2 connection to the gRPC listener. */
export interface ApiConnection {
  /** as builds the clients for one request; cheap, the connection is shared */
  as(identity: CallIdentity): Api;
  /** close drops the connection (in-flight calls fail) */
  close(): void;
}

// The web UI waits no longer for the API than a browser's request may take (server write timeout).
const callTimeoutMs = 30_000;

/**
 * connectApi opens the gRPC client the web UI uses for everything (spec §14: the UI reaches the
 * API only over gRPC and decides nothing itself). TLS 1.3 with `ca` as the only trust anchor.
 * Each call carries the session's token as `authorization: Bearer` metadata, so the API's
 * access table and policy judge the user, not the UI, and the browser's address as
 * `x-forwarded-for`, so the API can tell a call relayed for a browser from a local one.
 * `serverName` is the name the API's certificate must carry when the URL's host is not in it
 * (e.g. the URL says 127.0.0.1 and the certificate names metacrypt.svc.mcp.example).
 */
export function connectApi(grpcUrl: string, ca: Buffer | string, serverName?: string): ApiConnection {
  const tls = { ca, minVersion: 'TLSv1.3' as const, ...(serverName ? { servername: serverName } : {}) };
  const sessionManager = new Http2SessionManager(grpcUrl, {}, tls);
  return {
    as(identity) {
      const transport = createGrpcTransport({
        baseUrl: grpcUrl,
        sessionManager,
        defaultTimeoutMs: callTimeoutMs,
        interceptors: [identityHeaders(identity)],
      });
      const lazy = <S extends DescService>(service: S): (() => Client<S>) => {
        let client: Client<S> | undefined;
        return () => (client ??= createClient(service, transport));
      };
      const clients = {
        system: lazy(SystemService),
        auth: lazy(AuthService),
        mounts: lazy(MountService),
        policy: lazy(PolicyService),
        audit: lazy(AuditService),
        ca: lazy(CAService),
        acme: lazy(AcmeService),
        sshca: lazy(SSHCAService),
        transit: lazy(TransitService),
        user: lazy(UserService),
      };
      return {
        get system() {
          return clients.system();
        },
        get auth() {
          return clients.auth();
        },
        get mounts() {
          return clients.mounts();
        },
        get policy() {
          return clients.policy();
        },
        get audit() {
          return clients.audit();
        },
        get ca() {
          return clients.ca();
        },
        get acme() {
          return clients.acme();
        },
        get sshca() {
          return clients.sshca();
        },
        get transit() {
          return clients.transit();
        },
        get user() {
          return clients.user();
        },
      };
    },
    close: () => sessionManager.abort(),
  };
}

function identityHeaders(identity: CallIdentity): Interceptor {
  return (next) => (req) => {
    if (identity.token) req.header.set('authorization', `Bearer ${identity.token}`);
    if (identity.ip) req.header.set('x-forwarded-for', identity.ip);
    return next(req);
  };
}
