// Placeholder until the ca engine lands: an EngineModule with no services.
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { EngineModule } from '../../engine/index.js';

export const caModule: EngineModule = {
  provider: {
    type: 'ca',
    validateConfig: () => {
      throw new InvalidRequestError('the ca engine is not built yet');
    },
    initialize: () => undefined,
    open: () => {
      throw new InvalidRequestError('the ca engine is not built yet');
    },
  },
  services: () => [],
  access: {},
};
