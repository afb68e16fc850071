// Metacrypt CA benchmark (issue 4): leaf issuance over REST, POST /v1/pki/{mount}/issue with an
// ECDSA P-256 key generated server-side, as the MCIAS admin, through the whole stack: TLS 1.3,
// the access table, token validation (MCIAS, cached), policy, the CA engine (key generation,
// certificate encoding and signing under a cached issuer key), the certificate record written
// through the SQLite barrier, the audit record and the proto JSON transcoding. The server is a
// real Metacrypt (real MCIAS, real SQLite barrier) on loopback; the load comes from wrk in a
// separate process. Target: >= 200 certs/s. No peer: no stock CA server (Vault, step-ca) is
// installable here to compare with.
// Needs the compiled packages (`npx tsc -b`), like every bench.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { startTestMetacrypt } from '../packages/metacrypt/dist/src/testing.js';
import { runWrk } from './wrk.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 16;
const target = 200;
const mount = 'pki';

const mc = await startTestMetacrypt({ mounts: [{ name: mount, type: 'ca' }], logLevel: 'info' });
try {
  const token = mc.adminToken;
  const root = await mc.request('POST', `/v1/pki/${mount}/root/generate`, { token, body: { key_type: 'ecdsa-p256' } });
  if (root.status !== 200) throw new Error(`generate root: ${root.status} ${root.body}`);

  const body = { issuer: 'infra', common_name: 'bench.svc.example.test', key_type: 'ecdsa-p256', ttl: '24h' };
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

  // one request first, so a broken setup fails loudly instead of as a page of non-2xx counts
  const probe = await mc.request('POST', `/v1/pki/${mount}/issue`, { token, body });
  if (probe.status !== 200) throw new Error(`issue: ${probe.status} ${probe.body}`);
  const cert = new X509Certificate(probe.json().cert_pem);
  if (!cert.checkIssued(new X509Certificate(probe.json().chain_pem))) throw new Error('issue: the chain does not sign the leaf');

  const issue = await runWrk({
    url: `${mc.restUrl}/v1/pki/${mount}/issue`,
    method: 'POST',
    body: JSON.stringify(body),
    headers,
    seconds,
    connections,
  });
  console.log(
    `issue P-256 leaf (${connections} connections): ${issue.requestsPerSecond.toFixed(0)} certs/s, p50 ${issue.p50Ms} ms, p99 ${issue.p99Ms} ms, errors ${issue.errors}`,
  );

  const result = {
    benchmark: 'metacrypt-issue',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((l) => Number(l.toFixed(2))) },
    seconds,
    issueP256: {
      connections,
      requestsPerSecond: issue.requestsPerSecond,
      p50Ms: issue.p50Ms,
      p99Ms: issue.p99Ms,
      requests: issue.requests,
      errors: issue.errors,
      target: `>= ${target} certs/s`,
    },
  };
  const dir = new URL('./results/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metacrypt-issue.json'), JSON.stringify(result, null, 2) + '\n');
  const ok = issue.requestsPerSecond >= target && issue.errors === 0;
  console.log(ok ? 'metacrypt-issue: target met' : 'metacrypt-issue: TARGET NOT MET');
  process.exitCode = ok ? 0 : 1;
} finally {
  await mc.stop();
}
