// The EAB cap over the real API: a user may hold 20 unused EAB credentials per mount; the 21st
// request is 429 with a message saying what to do and stores nothing, while another user is
// unaffected. (Validation limits and the sweep are unit-tested beside the code:
// challenge-limits.test.ts, acme-sweep.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allowAcme, createEab, startAcmeMetacrypt, type AcmeMetacrypt } from './acme-harness.js';

describe('acme eab cap', () => {
  let env: AcmeMetacrypt;

  before(async () => {
    env = await startAcmeMetacrypt();
    await allowAcme(env.mc, 'capped', ['*.svc.mcp.example.test']);
    await allowAcme(env.mc, 'other', ['*.svc.mcp.example.test']);
  });
  after(() => env?.mc.stop());

  it('refuses the 21st unused eab of a user with 429, and only that user', async () => {
    const token = await env.mc.token('capped', { accountType: 'system' });
    for (let i = 0; i < 20; i++) await createEab(env.mc, token);
    const refused = await env.mc.request('POST', '/v1/acme/pki/eab', { token, body: {} });
    assert.equal(refused.status, 429, refused.body);
    assert.match(
      refused.json<{ error: string }>().error,
      /capped already holds 20 unused eab credentials; register an acme account/,
    );
    const other = await env.mc.token('other', { accountType: 'system' });
    assert.ok((await createEab(env.mc, other)).kid);
  });
});
