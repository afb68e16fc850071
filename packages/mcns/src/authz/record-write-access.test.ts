import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Caller, McError } from '@metacircular/mcdsl';
import { authorizeRecordWrite, recordWriterOf } from './record-write-access.js';

const caller = (username: string, accountType: 'human' | 'system', roles: string[] = []): Caller => ({
  username,
  roles,
  accountType,
  isAdmin: roles.includes('admin'),
  isGuest: roles.includes('guest'),
  token: 't',
});

function outcome(who: Caller | undefined, names: string[]): string {
  try {
    authorizeRecordWrite(who, names);
    return 'ok';
  } catch (err) {
    return (err as McError).category;
  }
}

describe('authorizeRecordWrite (spec 2.11)', () => {
  const admin = caller('root', 'human', ['admin']);
  const agent = caller('mcp-agent', 'system');
  const mcq = caller('mcq', 'system');
  const alice = caller('alice', 'human', ['user']);
  const guest = caller('visitor', 'human', ['guest']);
  const humanAgent = caller('mcp-agent', 'human', ['user']);

  const table: Array<[string, Caller | undefined, string[], string]> = [
    ['admin writes anything', admin, ['metacrypt', '@'], 'ok'],
    ['mcp-agent writes any name', agent, ['metacrypt'], 'ok'],
    ['system account writes its own name', mcq, ['mcq'], 'ok'],
    ['system account writes another name', mcq, ['metacrypt'], 'forbidden'],
    ['system account renames its record away', mcq, ['mcq', 'other'], 'forbidden'],
    ['system account takes over another record', mcq, ['other', 'mcq'], 'forbidden'],
    ['sub-labels of its own name are not its own', mcq, ['api.mcq'], 'forbidden'],
    ['a name merely starting with its own is not its own', mcq, ['mcqx'], 'forbidden'],
    ['the apex is nobody’s own name', mcq, ['@'], 'forbidden'],
    ['a person without admin is read-only', alice, ['alice'], 'forbidden'],
    ['a guest is read-only', guest, ['visitor'], 'forbidden'],
    ['a person named mcp-agent is not the agent', humanAgent, ['x'], 'forbidden'],
    ['no caller', undefined, ['x'], 'unauthenticated'],
  ];
  for (const [what, who, names, expected] of table) {
    it(`${what} -> ${expected}`, () => assert.equal(outcome(who, names), expected));
  }

  it('compares the username case-insensitively, as DNS names are', () => {
    assert.deepEqual(recordWriterOf(caller('MCQ', 'system')), { kind: 'own-name', name: 'mcq' });
    assert.equal(outcome(caller('MCQ', 'system'), ['mcq']), 'ok');
  });

  it('says which name a system account may write', () => {
    assert.throws(() => authorizeRecordWrite(mcq, ['metacrypt']), /may only change records named "mcq", not "metacrypt"/);
  });
});
