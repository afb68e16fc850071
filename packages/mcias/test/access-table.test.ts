// Default deny holds only if the table is complete: every REST route and every RPC of every
// service MCIAS serves has exactly one rule, and no rule names a route that does not exist.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { missingAccessRules } from '@metacircular/mcdsl';
import { rpcAccess } from '../src/access-table.js';
import { startTestMcias, type TestMcias } from '../src/testing.js';

describe('access table', () => {
  let m: TestMcias;
  before(async () => {
    m = await startTestMcias({ admin: false });
  });
  after(() => m?.cleanup());

  it('lists every REST route and no route that does not exist', async () => {
    const { unlisted, unused } = await missingAccessRules(m.server.http.app, m.server.access);
    assert.deepEqual(unlisted, []);
    assert.deepEqual(unused, []);
  });

  it('lists every RPC of every registered service, and nothing else', () => {
    const procedures = m.server.services.flatMap((reg) =>
      reg.service.methods.map((method) => `/${reg.service.typeName}/${method.name}`),
    );
    for (const p of procedures) assert.ok(rpcAccess[p], `${p} is not in the access table`);
    const health = ['/grpc.health.v1.Health/Check', '/grpc.health.v1.Health/Watch'];
    const known = new Set([...procedures, ...health]);
    for (const key of Object.keys(rpcAccess)) assert.ok(known.has(key), `${key} names no RPC`);
  });

  it('keeps the sealed exemptions to health, vault status and unseal', () => {
    const exempt = Object.entries(rpcAccess)
      .filter(([, rule]) => !rule.unsealed)
      .map(([key]) => key)
      .sort();
    assert.deepEqual(exempt, [
      '/grpc.health.v1.Health/Check',
      '/grpc.health.v1.Health/Watch',
      '/mcias.v1.AdminService/Health',
      '/mcias.v1.AdminService/Unseal',
      '/mcias.v1.AdminService/VaultStatus',
    ]);
    assert.equal(m.server.access['POST /v1/vault/seal']?.level, 'admin');
    assert.equal(m.server.access['POST /v1/token/validate']?.level, 'public');
  });
});
