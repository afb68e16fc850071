// engine: the contract between the core (barrier, mounts, policy, audit) and the engines.
export type {
  AuditDetail,
  Engine,
  EngineDeps,
  EngineHost,
  EngineModule,
  EngineProvider,
  EngineType,
  MountInfo,
  OpContext,
  PolicyRequest,
} from './engine.js';
export type { BarrierView } from './barrier-view.js';
export { memoryBarrierView } from './memory-barrier-view.js';
