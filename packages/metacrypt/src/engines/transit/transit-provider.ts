import { InvalidRequestError } from '@metacircular/mcdsl';
import type { EngineProvider } from '../../engine/index.js';
import { TransitEngine } from './transit-engine.js';

/**
 * transitProvider creates transit mounts. A mount starts with no keys and has no settings:
 * everything (type, version bounds, deletion) is per key, through the API.
 */
export const transitProvider: EngineProvider<TransitEngine> = {
  type: 'transit',
  validateConfig(config: unknown): Record<string, unknown> {
    if (config === undefined || config === null) return {};
    if (typeof config !== 'object' || Array.isArray(config))
      throw new InvalidRequestError('config of a transit mount must be an object');
    const keys = Object.keys(config);
    if (keys.length > 0) {
      throw new InvalidRequestError(
        `config.${keys[0]} is not a transit mount setting; a transit mount takes no config (key settings go on each key)`,
      );
    }
    return {};
  },
  initialize: () => undefined,
  open: (mount, view, deps) => new TransitEngine(mount, view, deps),
};
