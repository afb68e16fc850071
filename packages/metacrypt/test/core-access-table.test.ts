// The access table of the whole server (core, policy, every engine module): every RPC and
// every REST route has a row (startServer refuses to start otherwise, checked here on the
// real server), engine RPCs all need an unsealed Metacrypt, and the core's rows say what
// ARCHITECTURE.md says.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { missingAccessRules } from '@metacircular/mcdsl';
import { coreRpcAccess } from '../src/access-table.js';
import { engineModules } from '../src/engines/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

describe('access table', () => {
  let mc: TestMetacrypt;
  before(async () => {
    mc = await startTestMetacrypt({ sealed: true });
  });
  after(() => mc?.stop());

  it('covers every RPC and every REST route, with no stale rows', async () => {
    for (const reg of mc.server.services) {
      for (const m of reg.service.methods) {
        assert.ok(mc.server.access[`/${reg.service.typeName}/${m.name}`], `${reg.service.typeName}/${m.name}`);
      }
    }
    assert.deepEqual(await missingAccessRules(mc.server.http.app, mc.server.access), { unlisted: [], unused: [] });
  });

  it('marks every engine RPC and raw route as needing an unsealed Metacrypt', () => {
    for (const m of engineModules) {
      for (const [key, rule] of Object.entries({ ...m.access, ...m.httpAccess })) {
        assert.equal(rule.unsealed, true, `${m.provider.type}: ${key}`);
      }
    }
  });

  it('keeps the core rows as documented', () => {
    const row = (k: string) => coreRpcAccess[`/metacrypt.v1.${k}`];
    assert.deepEqual(row('SystemService/Status'), { level: 'public' });
    assert.deepEqual(row('SystemService/Init'), { level: 'public' });
    assert.deepEqual(row('SystemService/Unseal'), { level: 'public' });
    assert.deepEqual(row('SystemService/Seal'), { level: 'admin', unsealed: true });
    assert.deepEqual(row('AuthService/Login'), { level: 'public' });
    assert.deepEqual(row('MountService/ListMounts'), { level: 'token', unsealed: true });
    assert.deepEqual(row('MountService/CreateMount'), { level: 'admin', unsealed: true });
    assert.deepEqual(row('MountService/DeleteMount'), { level: 'admin', unsealed: true });
    assert.deepEqual(row('AuditService/ListAuditEvents'), { level: 'admin', unsealed: true });
    assert.deepEqual(coreRpcAccess['/mcdsl.v1.SnapshotService/Snapshot'], { level: 'admin' });
  });
});
