// MCNS benchmark (issue 5): dnsperf against MCNS and against knotd serving the same zone on the
// same machine in the same run. MCNS runs as a child process (this file with `serve`), built from
// packages/mcns/dist, with a real SQLite store seeded with the zone; knotd reads the same zone
// from a generated zone file with its default configuration (one UDP worker per CPU); MCNS runs
// its default configuration too (`[dns] workers = 1`; MCNS_DNS_WORKERS=N to try more: on this
// 2-CPU VM a second UDP process competes with dnsperf itself and measured no faster).
// Targets: MCNS >= 40,000 queries/s and >= 0.3 of knotd's rate.
import { spawn, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { clearTimeout } from 'node:timers';
import { findTool } from '@metacircular/mcdsl/testing';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const zoneName = 'bench.test';
const hostCount = 2000;
const workers = Number(process.env.MCNS_DNS_WORKERS ?? 1);

/** The zone both servers serve: hosts with A (+ AAAA for every 4th), TXT, MX, SRV, CNAMEs. */
function zoneRecords() {
  const records = [{ name: 'ns1', type: 'A', value: '192.0.2.53', ttl: 300 }];
  for (let i = 0; i < hostCount; i++) {
    records.push({ name: `host${i}`, type: 'A', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, ttl: 300 });
    if (i % 4 === 0) records.push({ name: `host${i}`, type: 'AAAA', value: `2001:db8::${i.toString(16)}`, ttl: 300 });
    if (i % 10 === 0) records.push({ name: `alias${i}`, type: 'CNAME', value: `host${i}.${zoneName}`, ttl: 300 });
  }
  records.push({ name: '@', type: 'MX', value: `10 host1.${zoneName}`, ttl: 300 });
  records.push({ name: '@', type: 'TXT', value: 'v=spf1 -all', ttl: 300 });
  records.push({ name: '_https._tcp', type: 'SRV', value: `10 5 443 host2.${zoneName}`, ttl: 300 });
  return records;
}

const soa = { primaryNs: `ns1.${zoneName}`, adminEmail: `hostmaster@${zoneName}`, minimumTtl: 300 };

/** The query mix: mostly existing A names, some AAAA, CNAME chases, MX/TXT/SRV and NXDOMAIN. */
function queryFile() {
  const lines = [];
  for (let i = 0; i < 4000; i++) {
    const n = (i * 7919) % hostCount;
    const pick = i % 20;
    if (pick < 12) lines.push(`host${n}.${zoneName} A`);
    else if (pick < 14) lines.push(`host${n - (n % 4)}.${zoneName} AAAA`);
    else if (pick < 15) lines.push(`alias${n - (n % 10)}.${zoneName} A`);
    else if (pick === 15) lines.push(`${zoneName} MX`);
    else if (pick === 16) lines.push(`${zoneName} TXT`);
    else if (pick === 17) lines.push(`_https._tcp.${zoneName} SRV`);
    else lines.push(`missing${n}.${zoneName} A`);
  }
  return lines.join('\n') + '\n';
}

function zoneFile() {
  const lines = [
    `$ORIGIN ${zoneName}.`,
    `$TTL 300`,
    `@ 300 IN SOA ${soa.primaryNs}. hostmaster.${zoneName}. 2026010101 3600 600 86400 300`,
    `@ 300 IN NS ${soa.primaryNs}.`,
  ];
  for (const r of zoneRecords()) {
    const value = ['CNAME', 'NS'].includes(r.type)
      ? `${r.value}.`
      : r.type === 'MX' || r.type === 'SRV'
        ? `${r.value}.`
        : r.type === 'TXT'
          ? `"${r.value}"`
          : r.value;
    lines.push(`${r.name} ${r.ttl} IN ${r.type} ${value}`);
  }
  return lines.join('\n') + '\n';
}

// ---- serve mode: the MCNS child process
if (process.argv[2] === 'serve') {
  const dist = new URL('../packages/mcns/dist/src/', import.meta.url);
  const { openDatabase, createLogger } = await import('@metacircular/mcdsl');
  const { openMcnsStore } = await import(new URL('store/index.js', dist).href);
  const { dnsSection, startDnsServer } = await import(new URL('dns/index.js', dist).href);
  const dir = process.argv[3];
  const store = openMcnsStore(openDatabase(join(dir, 'mcns.db')));
  store.seed({
    zones: [{ name: zoneName, ...soa }],
    records: zoneRecords().map((r) => ({ zone: zoneName, ...r })),
  });
  const config = dnsSection.parse({ listen_addr: '127.0.0.1:0', workers: Number(process.argv[4] ?? 1) });
  const logger = createLogger({ service: 'mcns', level: 'warn' });
  const server = await startDnsServer({ store, config, logger, databasePath: join(dir, 'mcns.db') });
  process.send({ port: server.addresses[0].port });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
} else {
  await main();
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-bench-'));
  const children = [];
  try {
    writeFileSync(join(dir, 'queries.txt'), queryFile());
    writeFileSync(join(dir, `${zoneName}.zone`), zoneFile());

    const mcns = fork(new URL(import.meta.url).pathname, ['serve', dir, String(workers)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(mcns);
    const mcnsPort = await new Promise((resolve, reject) => {
      mcns.once('message', (m) => resolve(m.port));
      mcns.once('exit', (code) => reject(new Error(`mcns child exited with ${code}`)));
    });

    if (findTool('dnsperf') === undefined) throw new Error('dnsperf is not installed (apt-get install dnsperf)');
    const knotd = findTool('knotd');
    let knotPort;
    if (knotd === undefined) {
      console.log('knotd is not installed: measuring MCNS alone, no ratio (apt-get install knot)');
    } else {
      knotPort = await freeUdpPort();
      mkdirSync(join(dir, 'knot-db'));
      writeFileSync(join(dir, 'knot.conf'), knotConf(dir, knotPort));
      const knot = spawn(knotd, ['-c', join(dir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(knot);
      await waitForAnswer(knotPort);
    }
    await waitForAnswer(mcnsPort);

    const run = (port) => dnsperf(port, join(dir, 'queries.txt'));
    // A short warm-up lets V8 optimise the hot path before the measured run.
    await dnsperf(mcnsPort, join(dir, 'queries.txt'), 2);
    const mcnsResult = await run(mcnsPort);
    console.log(
      `mcns (${workers} udp processes): ${mcnsResult.qps.toFixed(0)} queries/s, lost ${mcnsResult.lost}, avg latency ${mcnsResult.avgLatencyMs} ms`,
    );
    const knotResult = knotPort === undefined ? null : await run(knotPort);
    const ratio = knotResult === null ? null : mcnsResult.qps / knotResult.qps;
    if (knotResult !== null) {
      console.log(
        `knotd: ${knotResult.qps.toFixed(0)} queries/s, lost ${knotResult.lost}, avg latency ${knotResult.avgLatencyMs} ms`,
      );
      console.log(`ratio mcns/knotd: ${ratio.toFixed(3)}`);
    }

    const result = {
      benchmark: 'mcns',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      seconds,
      zone: { name: zoneName, records: zoneRecords().length },
      dnsperf: dnsperfArgs(0, 'queries.txt').slice(4).join(' '),
      mcns: { ...mcnsResult, workers },
      knotd: knotResult,
      ratio,
      target: 'mcns >= 40000 queries/s and >= 0.3 of knotd',
    };
    const out = new URL('./results/', import.meta.url).pathname;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'mcns.json'), JSON.stringify(result, null, 2) + '\n');
    const ok = mcnsResult.qps >= 40_000 && (ratio === null || ratio >= 0.3);
    console.log(ok ? 'mcns: targets met' : 'mcns: TARGETS NOT MET');
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function knotConf(dir, port) {
  return `server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
log:
  - target: stderr
    any: error
database:
    storage: "${dir}/knot-db"
template:
  - id: default
    storage: "${dir}"
zone:
  - domain: ${zoneName}
    file: "${zoneName}.zone"
`;
}

// dnsperf: 1 thread and 8 sockets keep the client to about one core of the two; 200 queries
// outstanding saturate a server without piling up timeouts.
function dnsperfArgs(port, file, duration = seconds) {
  return ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(duration), '-T', '1', '-c', '8', '-q', '200'];
}

function dnsperf(port, file, duration = seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn('dnsperf', dnsperfArgs(port, file, duration), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`dnsperf exited with ${code}`));
      const num = (re) => Number(re.exec(out)?.[1] ?? NaN);
      resolve({
        qps: num(/Queries per second:\s+([\d.]+)/),
        completed: num(/Queries completed:\s+(\d+)/),
        lost: num(/Queries lost:\s+(\d+)/),
        avgLatencyMs: Number((num(/Average Latency \(s\):\s+([\d.]+)/) * 1000).toFixed(3)),
      });
    });
  });
}

function freeUdpPort() {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** waitForAnswer sends an SOA query until the server answers (at most 100 tries, 100 ms apart). */
async function waitForAnswer(port) {
  const query = Buffer.from('0001000000010000000000000562656e636804746573740000060001', 'hex');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = createSocket('udp4');
      const timer = setTimeout(() => {
        s.close();
        resolve(false);
      }, 100);
      s.on('message', () => {
        clearTimeout(timer);
        s.close();
        resolve(true);
      });
      s.send(query, port, '127.0.0.1');
    });
    if (ok) return;
  }
  throw new Error(`no DNS answer on port ${port}`);
}
