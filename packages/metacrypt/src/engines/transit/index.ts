// Placeholder until the transit engine lands: an EngineModule with no services.
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { EngineModule } from '../../engine/index.js';

export const transitModule: EngineModule = {
  provider: {
    type: 'transit',
    validateConfig: () => {
      throw new InvalidRequestError('the transit engine is not built yet');
    },
    initialize: () => undefined,
    open: () => {
      throw new InvalidRequestError('the transit engine is not built yet');
    },
  },
  services: () => [],
  access: {},
};
