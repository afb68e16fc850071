// transit: encryption as a service with named, versioned keys that never leave the barrier (spec §8).
import type { EngineModule } from '../../engine/index.js';
import { transitAccess } from './transit-access.js';
import { transitProvider } from './transit-provider.js';
import { transitService } from './transit-service.js';

/** transitModule is the transit engine as the server registers it. */
export const transitModule: EngineModule = {
  provider: transitProvider,
  services: (host) => [transitService(host)],
  access: transitAccess,
};

export { transitAccess } from './transit-access.js';
export { transitProvider } from './transit-provider.js';
export { transitService, keyMessage } from './transit-service.js';
export { TransitEngine } from './transit-engine.js';
export { maxBatchItems, runBatch, type BatchOutcome } from './batch.js';
export { formatFrame, parseFrame, framePrefix, type Frame } from './cipher-frame.js';
export { defaultKeyType, transitKeyTypes, parseKeyType, type TransitKeyType, type TransitKeyUse } from './key-types.js';
export type { TransitKeyInfo, TransitKeyVersionInfo } from './stored-key.js';
export type { KeyConfigChange } from './key-config.js';
export type {
  DataKeyInput,
  DataKeyOutput,
  DecryptInput,
  DecryptOutput,
  EncryptInput,
  EncryptOutput,
  RewrapInput,
} from './encryption-ops.js';
export type { HmacInput, HmacOutput, SignInput, SignOutput, VerifyHmacInput, VerifyInput } from './signing-ops.js';
