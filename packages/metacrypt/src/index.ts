// @metacircular/metacrypt: the platform's CA and secret engine. The front door: the server's
// composition root and config, the engine contract, and the core types. The typed client is
// at '@metacircular/metacrypt/client'; the test server is in src/testing.ts.
export { startServer } from './main.js';
export type { Endpoint, RunningMetacrypt, StartOptions } from './main.js';
export { loadMetacryptConfig, metacryptConfigSchema, parseMetacryptConfig } from './config.js';
export type { AcmeSection, MetacryptConfig, MetacryptConfigInput, WebSection } from './config.js';
export { coreRpcAccess, metacryptAccessTable } from './access-table.js';
export { metacryptVersion } from './core.js';
export type { Core } from './core.js';
export type {
  AuditDetail,
  BarrierView,
  Engine,
  EngineDeps,
  EngineHost,
  EngineModule,
  EngineProvider,
  EngineType,
  MountInfo,
  OpContext,
  PolicyRequest,
} from './engine/index.js';
export type { SealState } from './barrier/index.js';
