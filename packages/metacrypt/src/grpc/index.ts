// grpc: the core's RPC services, each given the Core and returning the registration both
// servers (gRPC and REST transcoding) serve. Engine services live in engines/<type>/.
export { systemService } from './system-service.js';
export { authService } from './auth-service.js';
export { mountService } from './mount-service.js';
export { auditService } from './audit-service.js';
export { snapshotService } from './snapshot-service.js';
export { isLoopback } from './loopback.js';
