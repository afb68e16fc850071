import { ForbiddenError, type Caller } from '@metacircular/mcdsl';
import type { AuditDetail, OpContext, PolicyRequest } from '../../engine/index.js';

/** FakeOpContext is an OpContext for engine unit tests: a fixed allow list instead of the policy engine. */
export interface FakeOpContext extends OpContext {
  /** every authorize() call, allowed or not */
  readonly asked: Array<{ action: string; resource: string; request?: PolicyRequest }>;
  /** every note() */
  readonly notes: AuditDetail[];
}

/**
 * fakeOpContext builds a FakeOpContext for `username`: admins pass every check, anyone else
 * passes only the "action resource" pairs in `allow`.
 */
export function fakeOpContext(
  username: string,
  opts: { admin?: boolean; allow?: readonly string[]; mount?: string } = {},
): FakeOpContext {
  const caller: Caller = {
    username,
    roles: opts.admin ? ['admin'] : ['user'],
    accountType: 'human',
    isAdmin: opts.admin ?? false,
    isGuest: false,
    token: 'test-token',
  };
  const asked: FakeOpContext['asked'] = [];
  const notes: AuditDetail[] = [];
  return {
    caller,
    mount: opts.mount ?? 'ssh',
    asked,
    notes,
    authorize(action, resource, request) {
      asked.push({ action, resource, request });
      if (caller.isAdmin || (opts.allow ?? []).includes(`${action} ${resource}`)) return;
      throw new ForbiddenError(`policy denies ${action} on ${resource}`);
    },
    note(detail) {
      notes.push(detail);
    },
  };
}
