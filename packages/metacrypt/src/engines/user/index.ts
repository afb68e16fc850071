// user: the user-to-user encryption engine (spec §9): per-user X25519 keys kept in the barrier,
// envelopes to one or more recipients, decrypt only by a recipient. See README.md.
import type { EngineModule } from '../../engine/index.js';
import { userProvider } from './user-provider.js';
import { userAccess, userService } from './user-service.js';

/** userModule is the user engine as the core's registry sees it. */
export const userModule: EngineModule = {
  provider: userProvider,
  services: (host) => [userService(host)],
  access: userAccess,
};

export { UserEngine } from './user-engine.js';
export type { DecryptedMessage } from './user-engine.js';
export type { UserKeyInfo } from './user-key-store.js';
export type { Envelope, EnvelopeRecipient } from './envelope.js';
export { envelopeAlg, envelopeLabel } from './envelope.js';
