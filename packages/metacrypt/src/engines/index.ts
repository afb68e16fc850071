// engines: every engine type the server knows, in one list (the registry of spec §5).
import type { EngineModule } from '../engine/index.js';
import { caModule } from './ca/index.js';
import { sshcaModule } from './sshca/index.js';
import { transitModule } from './transit/index.js';
import { userModule } from './user/index.js';

export const engineModules: readonly EngineModule[] = [caModule, sshcaModule, transitModule, userModule];
