// Placeholder until the sshca engine lands: an EngineModule with no services.
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { EngineModule } from '../../engine/index.js';

export const sshcaModule: EngineModule = {
  provider: {
    type: 'sshca',
    validateConfig: () => {
      throw new InvalidRequestError('the sshca engine is not built yet');
    },
    initialize: () => undefined,
    open: () => {
      throw new InvalidRequestError('the sshca engine is not built yet');
    },
  },
  services: () => [],
  access: {},
};
