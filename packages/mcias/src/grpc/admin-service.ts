import { McError, UnavailableError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { AdminService } from '@metacircular/proto/mcias/v1/admin_pb';
import { AuditEvents } from '../audit/index.js';
import type { Core } from '../core.js';
import { actorOf, requireCaller, takeRateLimit } from './request-context.js';

/**
 * adminService serves health, the public signing key (raw and as a JWKS) and the vault. Health,
 * VaultStatus and Unseal work while sealed; the key RPCs answer 503 then (there is no key).
 */
export function adminService(core: Core): ServiceRegistration {
  return registerService(AdminService, {
    health() {
      try {
        core.stores.db.prepare('SELECT 1').get();
      } catch (err) {
        throw new UnavailableError('database unavailable', { cause: err });
      }
      return { status: core.vault.sealed ? 'sealed' : 'ok' };
    },

    getPublicKey() {
      return { ...core.vault.signingKey().jwk };
    },

    getJWKS() {
      return { keys: [{ ...core.vault.signingKey().jwk }] };
    },

    vaultStatus() {
      return { sealed: core.vault.sealed };
    },

    /**
     * unseal: per-client rate limit (3/s, burst 5) first, then the vault's own checks. Never
     * initialises a vault (that needs the operator's configured key). Failures are audited with
     * their code, never the passphrase.
     */
    async unseal(req, ctx) {
      takeRateLimit(core.limits.unseal, ctx);
      const actor = actorOf(ctx);
      if (!core.vault.sealed) return { sealed: false };
      try {
        const unsealed = await core.vault.unseal(await core.masterSecret(req.passphrase), { allowInit: false });
        if (unsealed)
          core.audit.record({ type: AuditEvents.VaultUnsealed, ip: actor.ip, details: { source: core.vault.keySource } });
      } catch (err) {
        const code = err instanceof McError ? err.code : 'ERR_INTERNAL';
        core.audit.record({ type: AuditEvents.UnsealFailed, ip: actor.ip, details: { code } });
        throw err;
      }
      return { sealed: core.vault.sealed };
    },

    seal(_req, ctx) {
      const caller = requireCaller(ctx);
      if (core.vault.seal()) core.audit.record({ type: AuditEvents.VaultSealed, actorId: caller.id, ip: actorOf(ctx).ip });
      core.logger.warn({ by: caller.username }, 'vault sealed');
      return { sealed: true };
    },
  });
}
