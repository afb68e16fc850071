import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditDetail } from '../engine/index.js';

/**
 * AuditScope collects what one RPC's audit record says beyond the call itself: the policy
 * decision (resource, reason) and the non-secret detail engines add with ctx.note(). It lives
 * in an AsyncLocalStorage so OpContext (built by engines, without the RPC's context) can find
 * the record of the call it runs in.
 */
export interface AuditScope {
  readonly requestId: string;
  resource?: string;
  policyAction?: string;
  decision?: string;
  detail: Record<string, AuditDetail[string]>;
}

const storage = new AsyncLocalStorage<AuditScope>();

/** runInAuditScope runs fn with scope as the current call's audit scope. */
export function runInAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** currentAuditScope is the scope of the RPC being served, if any. */
export function currentAuditScope(): AuditScope | undefined {
  return storage.getStore();
}
