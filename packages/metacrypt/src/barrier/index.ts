// barrier: the sealed layer between the physical store and the engines (spec §3): the key
// hierarchy, the AEAD blob format and the path-confined encrypted views.
export { Barrier, corePrefix, dekAAD, enginePrefix, mekAAD, mountsPrefix, policyPrefix } from './barrier.js';
export type { SealState } from './barrier.js';
export { DecryptError, blobVersion, openBlob, sealBlob } from './aead.js';
export { encryptedView } from './encrypted-view.js';
export { defaultKdfParams, deriveKWK } from './kdf.js';
export type { KdfParams } from './kdf.js';
