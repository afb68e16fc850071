// Placeholder until the user engine lands: an EngineModule with no services.
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { EngineModule } from '../../engine/index.js';

export const userModule: EngineModule = {
  provider: {
    type: 'user',
    validateConfig: () => {
      throw new InvalidRequestError('the user engine is not built yet');
    },
    initialize: () => undefined,
    open: () => {
      throw new InvalidRequestError('the user engine is not built yet');
    },
  },
  services: () => [],
  access: {},
};
