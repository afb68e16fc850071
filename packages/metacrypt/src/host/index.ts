// host: the core's side of the engine contract (EngineHost, OpContext).
export { CoreEngineHost, acmeSettingsOf } from './core-engine-host.js';
export { CoreOpContext } from './op-context.js';
