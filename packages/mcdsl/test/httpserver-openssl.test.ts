import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHttpServer } from '../src/httpserver/index.js';
import type { HttpServer } from '../src/httpserver/index.js';
import { loadTLSFiles } from '../src/tls/index.js';
import { createTestPKI, interopTool } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

interface SClientResult {
  readonly code: number;
  readonly output: string;
}

// s_client with stdin at EOF completes the handshake (or fails it), then exits.
function sClient(openssl: string, args: string[]): Promise<SClientResult> {
  return new Promise((resolve) => {
    const child = execFile(openssl, ['s_client', ...args], (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
    child.stdin?.end();
  });
}

describe('httpserver TLS versions seen by openssl s_client', () => {
  const tool = interopTool('openssl');
  let pki: TestPKI;
  let server: HttpServer;
  let port = 0;

  before(async () => {
    if (!tool.path) return;
    pki = await createTestPKI();
    server = createHttpServer({ tls: await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath }), access: {} });
    ({ port } = await server.listen('127.0.0.1:0'));
  });
  after(async () => {
    await server?.close({ graceMs: 1000 });
    await pki?.cleanup();
  });

  const common = (): string[] => [
    '-connect',
    `127.0.0.1:${port}`,
    '-servername',
    'localhost',
    '-CAfile',
    pki.caPath,
    '-verify_return_error',
    '-verify_hostname',
    'localhost',
  ];

  it('refuses TLS 1.2', async (t: TestContext) => {
    if (!tool.path) return t.skip(tool.skip);
    const res = await sClient(tool.path, [...common(), '-tls1_2']);
    assert.notEqual(res.code, 0, `s_client -tls1_2 should fail:\n${res.output}`);
    assert.match(res.output, /alert protocol version/);
  });

  it('completes a verified TLS 1.3 handshake', async (t: TestContext) => {
    if (!tool.path) return t.skip(tool.skip);
    const res = await sClient(tool.path, [...common(), '-tls1_3']);
    assert.equal(res.code, 0, `s_client -tls1_3 should succeed:\n${res.output}`);
    assert.match(res.output, /TLSv1\.3/);
    assert.match(res.output, /Verify return code: 0 \(ok\)/);
  });
});
