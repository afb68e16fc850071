import type { EngineProvider } from '../../engine/index.js';
import { validateCaConfig } from './ca-config.js';
import { CaMountEngine } from './ca-engine.js';

/**
 * caProvider creates CA mounts. A new mount stores nothing: its root comes later from
 * GenerateRoot or ImportRoot (which also create the config's default issuers), so that an
 * operator can choose between a fresh hierarchy and the platform's offline root.
 */
export const caProvider: EngineProvider<CaMountEngine> = {
  type: 'ca',
  validateConfig: validateCaConfig,
  initialize: () => undefined,
  open: (mount, view, deps) => new CaMountEngine(mount, view, deps),
};
