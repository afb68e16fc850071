// grpcserver: Connect/gRPC over HTTP/2 + TLS 1.3 with the access table enforced before handlers,
// and the REST transcoding of google.api.http annotations so one handler serves both surfaces.
export { createGrpcServer } from './grpc-server.js';
export type { GrpcServer, GrpcServerOptions } from './grpc-server.js';
export type { RefusalInfo, RefusalListener } from './access-interceptor.js';
export { registerService, callerOf, callerKey, peerAddressOf, peerAddressKey, procedureOf } from './service-registration.js';
export type { ServiceRegistration } from './service-registration.js';
export { transcodedRoutes, withTranscodedAccess, registerTranscodedRoutes } from './rest-transcoding.js';
export type { TranscodedRoute } from './rest-transcoding.js';
export { compilePathTemplate } from './path-template.js';
export { toConnectError, httpStatusOfConnectError } from './error-codes.js';
export { grpcHealthService, grpcHealthAccess } from './health-service.js';
export { mciasAuthHandlers } from './mcias-auth-handlers.js';
export type { MciasAuthHandlers } from './mcias-auth-handlers.js';
