// supervisor: keeps the platform's service processes running (ordered start, health checks,
// restart with backoff, ordered stop) and records what runs where for `mc status`/`mc down`.
export { PlatformSupervisor } from './platform-supervisor.js';
export type { PlannedService, PlatformSupervisorOptions, SupervisorPlan } from './platform-supervisor.js';
export { SupervisedService } from './supervised-service.js';
export type { SupervisedServiceOptions, SupervisedServiceSpec } from './supervised-service.js';
export { RestartBackoff } from './restart-backoff.js';
export type { BackoffOptions } from './restart-backoff.js';
export { probeHealth } from './health-probe.js';
export type { HealthResult } from './health-probe.js';
export { acquirePidFile, readPidFile } from './pid-file.js';
export type { PidFile } from './pid-file.js';
export { readChildrenFile, writeChildrenFile } from './children-file.js';
export type { ChildrenFile } from './children-file.js';
export {
  identityOf,
  isProcessAlive,
  isSameProcess,
  processStartTime,
  signalProcessGroup,
  waitUntilGone,
} from './process-identity.js';
export type { ProcessIdentity } from './process-identity.js';
export { isSupervisorEvent } from './supervisor-event.js';
export type { SupervisorEvent } from './supervisor-event.js';
