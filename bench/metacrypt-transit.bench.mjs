// Metacrypt transit benchmark (issue 4): POST /v1/transit/{mount}/encrypt/{name} of a 1 KiB
// plaintext over REST, as the MCIAS admin, through the whole stack: TLS 1.3, the access table,
// token validation (MCIAS, cached), policy, the engine (AES-256-GCM), the audit record and the
// proto JSON transcoding. The server is a real Metacrypt (real MCIAS, real SQLite barrier) on
// loopback; the load comes from wrk in a separate process. A decrypt run is reported alongside.
// Target: encrypt >= 2,000 ops/s at 16 connections. No peer: no stock transit server (Vault,
// OpenBao) is installable here to compare with.
// Needs the compiled packages (`npx tsc -b`), like every bench.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { startTestMetacrypt } from '../packages/metacrypt/dist/src/testing.js';
import { runWrk } from './wrk.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 16;
const target = 2000;
const mount = 'transit';
const key = 'bench';

const mc = await startTestMetacrypt({ mounts: [{ name: mount, type: 'transit' }], logLevel: 'info' });
try {
  const token = mc.adminToken;
  const created = await mc.request('POST', `/v1/transit/${mount}/keys`, { token, body: { name: key } });
  if (created.status !== 200) throw new Error(`create key: ${created.status} ${created.body}`);

  const plaintext = randomBytes(1024).toString('base64');
  const encryptBody = JSON.stringify({ plaintext });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

  // one request first, so a broken setup fails loudly instead of as a page of non-2xx counts
  const probe = await mc.request('POST', `/v1/transit/${mount}/encrypt/${key}`, { token, body: { plaintext } });
  if (probe.status !== 200) throw new Error(`encrypt: ${probe.status} ${probe.body}`);
  const { ciphertext } = probe.json();

  const encrypt = await runWrk({
    url: `${mc.restUrl}/v1/transit/${mount}/encrypt/${key}`,
    method: 'POST',
    body: encryptBody,
    headers,
    seconds,
    connections,
  });
  console.log(
    `encrypt 1 KiB (${connections} connections): ${encrypt.requestsPerSecond.toFixed(0)} ops/s, p50 ${encrypt.p50Ms} ms, p99 ${encrypt.p99Ms} ms, errors ${encrypt.errors}`,
  );

  const decrypt = await runWrk({
    url: `${mc.restUrl}/v1/transit/${mount}/decrypt/${key}`,
    method: 'POST',
    body: JSON.stringify({ ciphertext }),
    headers,
    seconds,
    connections,
  });
  console.log(
    `decrypt 1 KiB (${connections} connections): ${decrypt.requestsPerSecond.toFixed(0)} ops/s, p50 ${decrypt.p50Ms} ms, p99 ${decrypt.p99Ms} ms, errors ${decrypt.errors}`,
  );

  const result = {
    benchmark: 'metacrypt-transit',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    seconds,
    encrypt1KiB: {
      connections,
      requestsPerSecond: encrypt.requestsPerSecond,
      p50Ms: encrypt.p50Ms,
      p99Ms: encrypt.p99Ms,
      requests: encrypt.requests,
      errors: encrypt.errors,
      target: `>= ${target} ops/s`,
    },
    decrypt1KiB: {
      connections,
      requestsPerSecond: decrypt.requestsPerSecond,
      p50Ms: decrypt.p50Ms,
      p99Ms: decrypt.p99Ms,
      requests: decrypt.requests,
      errors: decrypt.errors,
    },
  };
  const dir = new URL('./results/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metacrypt-transit.json'), JSON.stringify(result, null, 2) + '\n');
  const ok = encrypt.requestsPerSecond >= target && encrypt.errors === 0 && decrypt.errors === 0;
  console.log(ok ? 'metacrypt-transit: targets met' : 'metacrypt-transit: TARGETS NOT MET');
  process.exitCode = ok ? 0 : 1;
} finally {
  await mc.stop();
}
