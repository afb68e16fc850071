import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { interopTool } from '@metacircular/mcdsl/testing';
import { generateTotpSecret, totpCodeAt, totpCounterAt, verifyTotp } from '../src/totp/index.js';

// Interop: codes from oathtool (OATH Toolkit, an authenticator nobody here wrote) must verify.
const run = promisify(execFile);
const tool = interopTool('oathtool');

async function oathtool(secret: string, ...extra: string[]): Promise<string> {
  const { stdout } = await run(tool.path!, ['--totp', '-b', secret, ...extra]);
  return stdout.trim();
}

describe('TOTP interop with oathtool', { skip: tool.skip }, () => {
  it('accepts the code oathtool produces now, once', async () => {
    const secret = generateTotpSecret();
    const code = await oathtool(secret);
    assert.match(code, /^[0-9]{6}$/);
    // A step boundary may pass between oathtool and Date.now(); the default window covers it.
    const result = verifyTotp(secret, code, { now: Date.now() });
    assert.equal(result.ok, true);
    assert.ok(result.ok && Math.abs(result.counter - totpCounterAt(Date.now())) <= 1);
    assert.deepEqual(verifyTotp(secret, code, { now: Date.now(), lastUsedCounter: result.counter }), { ok: false });
  });

  it('agrees with oathtool at fixed times', async () => {
    const secret = generateTotpSecret();
    const instants = ['1970-01-01 00:00:59 UTC', '2009-02-13 23:31:30 UTC', '2030-01-02 03:04:05 UTC', '2033-05-18 03:33:20 UTC'];
    for (const instant of instants) {
      const now = Date.parse(instant.replace(' UTC', 'Z').replace(' ', 'T'));
      const code = await oathtool(secret, '--now', instant);
      assert.equal(totpCodeAt(secret, now), code, instant);
      assert.deepEqual(verifyTotp(secret, code, { now, window: 0 }), { ok: true, counter: totpCounterAt(now) }, instant);
    }
  });

  it('matches RFC 6238 for the RFC key', async () => {
    const code = await oathtool('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', '--now', '2009-02-13 23:31:30 UTC');
    assert.equal(code, '005924');
  });

  it('refuses a wrong code', async () => {
    const secret = generateTotpSecret();
    const now = Date.parse('2030-01-02T03:04:05Z');
    const code = await oathtool(secret, '--now', '2030-01-02 03:04:05 UTC');
    const others = new Set([-1, 0, 1].map((offset) => totpCodeAt(secret, now + offset * 30_000)));
    let wrong = code;
    while (others.has(wrong)) wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, '0');
    assert.deepEqual(verifyTotp(secret, wrong, { now }), { ok: false });
  });
});
