import { hkdfSync } from 'node:crypto';
import { createCSRF, type CSRF } from '@metacircular/mcdsl';
import type { Vault } from '../vault/index.js';

// Domain separation: this key is used for nothing but the web UI's CSRF MACs.
const csrfKeyInfo = 'mcias web ui csrf key v1';

/**
 * vaultCSRF gives the web UI's CSRF check, keyed lazily from the vault (spec 1.5: "the CSRF
 * HMAC key is derived lazily from the vault"): HKDF-SHA256 of the Ed25519 signing key's PKCS#8
 * encoding, with its own info string. So the key is as secret as the signing key, needs no
 * storage of its own, and is the same after a restart (forms stay valid across restarts and
 * across instances sharing the database). It exists only while the vault is unsealed: the first
 * call after an unseal derives it, sealing drops it, and calling while sealed throws SealedError
 * (every page but /unseal redirects before that; /unseal has no CSRF, no session exists yet).
 */
export function vaultCSRF(vault: Vault, cookieName: string): () => CSRF {
  let current: CSRF | undefined;
  vault.onSeal(() => {
    current = undefined;
  });
  return () => {
    if (current) return current;
    const der = vault.signingKey().privateKey.export({ format: 'der', type: 'pkcs8' });
    const key = Buffer.from(hkdfSync('sha256', der, Buffer.alloc(0), csrfKeyInfo, 32));
    der.fill(0);
    current = createCSRF({ key, cookieName });
    key.fill(0); // createCSRF keeps its own copy
    return current;
  };
}
