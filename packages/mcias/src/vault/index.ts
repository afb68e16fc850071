// vault: the master key (passphrase via Argon2id, or a key file), the verifier that detects a
// wrong one, AES-256-GCM boxes for secrets at rest, and the Ed25519 signing key they protect.
export { Vault, serverSecretAAD } from './vault.js';
export type { MasterSecret } from './vault.js';
export { sealBox, openBox, boxOverhead } from './aead.js';
export { deriveMasterKey, readMasterKeyFile, masterKdf, masterKeyBytes, newKdfSalt } from './master-key.js';
export type { MasterKdf } from './master-key.js';
export { generateSigningKeyDER, signingKeyFromDER } from './signing-key.js';
export type { SigningKey, PublicJWK } from './signing-key.js';
