// @metacircular/platform: `mc`, which brings a whole single-node platform up on one machine.
// The one front door: the launcher (up/down/status), the service registry later packages add
// themselves to, the platform.json format clients read, and the pieces tests build on.
export { down, preparePlatform, readCAPem, status, up, upDetached } from './launcher/index.js';
export type {
  DetachedPlatform,
  DownOptions,
  DownResult,
  PlatformStatus,
  PreparedPlatform,
  ServiceStatus,
  UpDetachedOptions,
  UpOptions,
} from './launcher/index.js';
export {
  databaseSection,
  findPackageDir,
  generatedHeader,
  hostPort,
  httpsURL,
  locateServiceEntry,
  logSection,
  mciasSection,
  serverCommand,
  serverSection,
  serviceDefinitions,
  tomlDocument,
  validateRegistry,
} from './registry/index.js';
export type {
  ServiceCommand,
  ServiceContext,
  ServiceDefinition,
  ServiceEndpoints,
  TomlSections,
  TomlTable,
  TomlValue,
} from './registry/index.js';
export {
  PlatformSupervisor,
  RestartBackoff,
  isProcessAlive,
  isSameProcess,
  probeHealth,
  readChildrenFile,
  readPidFile,
} from './supervisor/index.js';
export type {
  BackoffOptions,
  HealthResult,
  PlatformSupervisorOptions,
  ProcessIdentity,
  SupervisorEvent,
} from './supervisor/index.js';
export { ensureRootCA, ensureServiceCert, serviceSubjectAltNames } from './pki/index.js';
export type { RootCA, ServiceCertRequest } from './pki/index.js';
export { readPlatformFile, writePlatformFile } from './platform-file.js';
export type { PlatformFile, PlatformServiceEntry, ServiceState } from './platform-file.js';
export { defaultPlatformDir, platformLayout, servicePaths } from './platform-layout.js';
export type { PlatformLayout, ServicePaths } from './platform-layout.js';
export { allocatePorts, freeLoopbackPort, isPortFree, loopback } from './ports.js';
export type { PortMap } from './ports.js';
export { defaultDomain, serviceHostname } from './domain-name.js';
export { adminUsername } from './secret-file.js';
export type { AdminCredentials } from './secret-file.js';
