import { createLogger, ForbiddenError, type Caller } from '@metacircular/mcdsl';
import type { AuditDetail, MountInfo, OpContext } from '../../engine/index.js';
import { memoryBarrierView } from '../../engine/index.js';
import { transitProvider } from './transit-provider.js';
import type { TransitEngine } from './transit-engine.js';

/**
 * Builders for the transit unit tests: a fake OpContext that records what the engine asked
 * policy and noted for audit, and an engine over a memoryBarrierView. Integration tests use
 * the real core instead (startTestMetacrypt).
 */

/** FakeContext is an OpContext whose policy is a predicate, with everything recorded. */
export interface FakeContext extends OpContext {
  readonly asked: Array<{ action: string; resource: string }>;
  readonly notes: AuditDetail[];
}

/** fakeContext allows everything (an admin) unless `allow` says otherwise. */
export function fakeContext(allow: (action: string, resource: string) => boolean = () => true, mount = 'transit'): FakeContext {
  const caller: Caller = { username: 'tester', roles: [], accountType: 'human', isAdmin: false, isGuest: false, token: 'x' };
  const asked: FakeContext['asked'] = [];
  const notes: AuditDetail[] = [];
  return {
    caller,
    mount,
    asked,
    notes,
    authorize(action, resource) {
      asked.push({ action, resource });
      if (!allow(action, resource)) throw new ForbiddenError(`policy denies ${action} on ${resource}`);
    },
    note(detail) {
      notes.push(detail);
    },
  };
}

/** testEngine opens a transit engine on a fresh in-memory view (or the given store). */
export function testEngine(
  store = new Map<string, Buffer>(),
  now: () => Date = () => new Date(),
): { engine: TransitEngine; store: Map<string, Buffer> } {
  const mount: MountInfo = { name: 'transit', type: 'transit', config: {}, createdAt: new Date() };
  const view = memoryBarrierView(store, 'engine/transit/');
  // the engine never logs on its own; errors only, in case it ever does
  const deps = { now, logger: createLogger({ service: 'metacrypt-test', level: 'error' }) };
  transitProvider.initialize(mount, view, deps);
  return { engine: transitProvider.open(mount, view, deps), store };
}
