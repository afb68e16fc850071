// webauthn: passkeys (spec 1.7): registration with password re-authentication, passwordless or
// second-factor login, listing and removal; credential material sealed by the vault.
export { Passkeys, passkeyView } from './passkeys.js';
export type { PasskeyView } from './passkeys.js';
export type { PasskeyLoginInput } from './passkey-login.js';
export { counterAdvances } from './passkey-login.js';
export type { BegunCeremony } from './passkey-registration.js';
export { maxPasskeysPerAccount, passkeyName, uuidBytes } from './passkey-registration.js';
export { ChallengeStore, challengeTtlMs, challengeBytes, maxPendingChallenges } from './challenge-store.js';
export type { Challenge } from './challenge-store.js';
export { CredentialVault, credentialAAD } from './credential-vault.js';
export { RelyingParty } from './relying-party.js';
