// Metacrypt ACME benchmark (issue 4): a full certbot HTTP-01 order (EAB registration, order,
// validation, finalize, download) against a real Metacrypt on loopback, timed end to end.
// Target: < 5 s per order. certbot's own share is measured too: its start-up (`certbot
// --version`) and the two fixed 1 s sleeps it always makes (before polling authorizations and
// before polling the finalized order), so the server's share is visible. The same order through
// the npm acme-client (obtainCertificate, polling every 50 ms) shows the protocol cost without
// certbot. No peer: no other ACME server (pebble, boulder, step-ca) is installable here.
// Needs a compiled tree (`npx tsc -b`) and certbot on PATH.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'packages/metacrypt/dist');
const { allowAcme, createEab, freePort, runTool, startAcmeMetacrypt } = await import(join(dist, 'test/acme-harness.js'));
const { obtainCertificate } = await import(join(dist, 'src/client/index.js'));

const runs = Math.max(1, Math.min(10, Number(process.env.BENCH_RUNS ?? 5)));
const certbotPath = spawnSync('sh', ['-c', 'command -v certbot']).stdout.toString().trim();
if (certbotPath === '') {
  console.error('metacrypt-acme bench: certbot is not installed');
  process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const round = (ms) => Math.round(ms);

const http01Port = await freePort();
const env = await startAcmeMetacrypt({ http01_port: http01Port, http01_address: '127.0.0.1' });
try {
  await allowAcme(env.mc, 'bench-agent', ['*.svc.mcp.example.test']);
  const token = await env.mc.token('bench-agent', { accountType: 'system' });

  const startup = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await runTool(certbotPath, ['--version'], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`certbot --version failed: ${r.stderr}`);
    startup.push(performance.now() - t0);
  }

  const certbotRuns = [];
  for (let i = 0; i < runs; i++) {
    const eab = await createEab(env.mc, token);
    const dir = join(env.mc.dir, `bench-certbot-${i}`);
    const name = `bench${i}.svc.mcp.example.test`;
    const t0 = performance.now();
    const r = await runTool(
      certbotPath,
      [
        'certonly',
        '--standalone',
        '--non-interactive',
        '--agree-tos',
        '--register-unsafely-without-email',
        '--server',
        env.directoryUrl,
        `--eab-kid=${eab.kid}`,
        `--eab-hmac-key=${eab.hmacKey}`,
        '--http-01-port',
        String(http01Port),
        '--http-01-address',
        '127.0.0.1',
        '--config-dir',
        join(dir, 'config'),
        '--work-dir',
        join(dir, 'work'),
        '--logs-dir',
        join(dir, 'logs'),
        '-d',
        name,
      ],
      { env: { ...process.env, REQUESTS_CA_BUNDLE: env.mc.caPath }, timeoutMs: 120_000 },
    );
    const ms = performance.now() - t0;
    if (r.code !== 0) throw new Error(`certbot order ${i} failed:\n${r.stdout}\n${r.stderr}`);
    certbotRuns.push(ms);
    console.log(`certbot order ${i + 1}/${runs}: ${round(ms)} ms`);
  }

  const clientRuns = [];
  for (let i = 0; i < runs; i++) {
    const eab = await createEab(env.mc, token);
    const t0 = performance.now();
    await obtainCertificate({
      directoryUrl: env.directoryUrl,
      eab,
      names: [`client${i}.svc.mcp.example.test`],
      challenge: 'http-01',
      http01: { port: http01Port, host: '127.0.0.1' },
      caCert: env.mc.caCert,
      pollMinMs: 50,
      pollMaxMs: 200,
      pollAttempts: 50,
    });
    clientRuns.push(performance.now() - t0);
  }

  const certbotMedian = median(certbotRuns);
  const startupMedian = median(startup);
  const result = {
    benchmark: 'metacrypt-acme',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadavg1: Number(os.loadavg()[0].toFixed(2)) },
    runs,
    certbotOrder: {
      medianMs: round(certbotMedian),
      minMs: round(Math.min(...certbotRuns)),
      maxMs: round(Math.max(...certbotRuns)),
      target: '< 5000 ms',
      met: certbotMedian < 5000,
    },
    certbotStartupMedianMs: round(startupMedian),
    certbotFixedSleepsMs: 2000,
    serverAndProtocolShareMs: round(certbotMedian - startupMedian - 2000),
    acmeClientOrder: {
      medianMs: round(median(clientRuns)),
      minMs: round(Math.min(...clientRuns)),
      maxMs: round(Math.max(...clientRuns)),
    },
    peer: 'none installable (pebble, boulder, step-ca absent)',
  };
  console.log(
    `certbot HTTP-01 order: median ${result.certbotOrder.medianMs} ms (min ${result.certbotOrder.minMs}, max ${result.certbotOrder.maxMs}; target < 5000 ms) ` +
      `of which certbot start-up ~${result.certbotStartupMedianMs} ms and fixed sleeps 2000 ms; ` +
      `acme-client order: median ${result.acmeClientOrder.medianMs} ms`,
  );
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/metacrypt-acme.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await env.mc.stop();
}
