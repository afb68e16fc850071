// barrier: the sealed layer between the physical store and the engines (spec §3): the key
// hierarchy, the AEAD blob format and the path-confined encrypted views.
export { Barrier, enginePrefix } from './barrier.js';
export type { SealState } from './barrier.js';
export { DecryptError, openBlob, sealBlob } from './aead.js';
export type { KdfParams } from './kdf.js';
