// store: the physical layer (SQLite). Only ciphertext and the audit log live here.
export { migrations } from './migrations.js';
export { BarrierStore } from './barrier-store.js';
export { SealConfigStore } from './seal-config-store.js';
export type { SealConfig } from './seal-config-store.js';
export { writeSnapshot } from './snapshot.js';
