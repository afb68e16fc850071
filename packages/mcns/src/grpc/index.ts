// grpc: one factory per proto service, each returning the registration both servers (gRPC and
// REST transcoding) serve, plus the REST-only 201 for creates.
export { adminService } from './admin-service.js';
export { authService } from './auth-service.js';
export { recordService } from './record-service.js';
export { zoneService } from './zone-service.js';
export { recordMessage, zoneMessage, recordId } from './messages.js';
export { answerCreatedWith201 } from './created-status.js';
