import { InvalidRequestError } from '@metacircular/mcdsl';
import type { EngineProvider } from '../../engine/index.js';
import { UserEngine } from './user-engine.js';
import { UserKeyStore } from './user-key-store.js';

/**
 * userProvider creates user-to-user mounts. The only config key is `key_type`, and the only key
 * type is "x25519" (spec §9.2 also mentions P-256 ECDH; it is not offered). A new mount holds only
 * its envelope mac key: users register themselves.
 */
export const userProvider: EngineProvider<UserEngine> = {
  type: 'user',
  validateConfig(config: unknown): Record<string, unknown> {
    if (config === undefined || config === null) return { key_type: 'x25519' };
    if (typeof config !== 'object' || Array.isArray(config)) throw new InvalidRequestError('config: must be a JSON object');
    for (const [key, value] of Object.entries(config)) {
      if (key !== 'key_type') throw new InvalidRequestError(`config.${key}: unknown key; the user engine takes only key_type`);
      if (value !== 'x25519') throw new InvalidRequestError('config.key_type: must be "x25519"');
    }
    return { key_type: 'x25519' };
  },
  // The envelope mac key is made with the mount, so it is never written lazily under load.
  initialize: (_mount, view, deps) => void new UserKeyStore(view, deps.now).macKey().fill(0),
  open: (mount, view, deps) => new UserEngine(mount, view, deps),
};
