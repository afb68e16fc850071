import { createClient, type Client } from '@connectrpc/connect';
import { AccountService } from '@metacircular/proto/mcias/v1/account_pb';
import { AdminService } from '@metacircular/proto/mcias/v1/admin_pb';
import { AuditService } from '@metacircular/proto/mcias/v1/audit_pb';
import { AuthService } from '@metacircular/proto/mcias/v1/auth_pb';
import { PolicyService } from '@metacircular/proto/mcias/v1/policy_pb';
import { TokenService } from '@metacircular/proto/mcias/v1/token_pb';
import { WebAuthnService } from '@metacircular/proto/mcias/v1/webauthn_pb';
import { inProcessTransport, type InProcessCall, type InProcessServer } from './in-process-transport.js';

/**
 * WebRpc is MCIAS's API as one web request may call it: typed clients of every service whose
 * calls run in this process under the request's session token (see inProcessTransport).
 */
export interface WebRpc {
  readonly admin: Client<typeof AdminService>;
  readonly auth: Client<typeof AuthService>;
  readonly tokens: Client<typeof TokenService>;
  readonly accounts: Client<typeof AccountService>;
  readonly policy: Client<typeof PolicyService>;
  readonly audit: Client<typeof AuditService>;
  readonly webauthn: Client<typeof WebAuthnService>;
}

/** webRpc binds the API's clients to one call's token and client address. */
export function webRpc(server: InProcessServer, call: InProcessCall): WebRpc {
  const transport = inProcessTransport(server, call);
  return {
    admin: createClient(AdminService, transport),
    auth: createClient(AuthService, transport),
    tokens: createClient(TokenService, transport),
    accounts: createClient(AccountService, transport),
    policy: createClient(PolicyService, transport),
    audit: createClient(AuditService, transport),
    webauthn: createClient(WebAuthnService, transport),
  };
}
