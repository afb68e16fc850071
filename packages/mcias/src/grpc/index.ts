// grpc: one service factory per proto service, each given the Core and returning the
// registration both servers (gRPC and REST transcoding) serve.
export { adminService } from './admin-service.js';
export { authService } from './auth-service.js';
export { tokenService } from './token-service.js';
export { accountService } from './account-service.js';
export { policyService } from './policy-service.js';
export { auditService } from './audit-service.js';
export { webAuthnService } from './webauthn-service.js';
export { installPeerAddressHook, peerAddress, peerAddressHeader, requireCaller } from './request-context.js';
