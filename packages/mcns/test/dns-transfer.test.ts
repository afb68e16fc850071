// Zone transfer interop: knotd as a secondary of MCNS. It bootstraps the zone by AXFR, then a
// record created in the store triggers a NOTIFY, and knotd serves the new record. Transfers are
// refused to addresses outside secondaries/allow_transfer.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interopTool } from '@metacircular/mcdsl/testing';
import { pollUntil, runTool, startDnsFixture, type DnsFixture } from './dns-harness.js';

const zone = 'xfr.test';

const freeTcpPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

function knotConfig(dir: string, port: number, primaryPort: number): string {
  return `server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
log:
  - target: stderr
    any: info
database:
    storage: "${dir}/db"
remote:
  - id: mcns
    address: 127.0.0.1@${primaryPort}
acl:
  - id: notify_from_mcns
    address: 127.0.0.1
    action: notify
template:
  - id: default
    storage: "${dir}"
zone:
  - domain: ${zone}
    master: mcns
    acl: notify_from_mcns
`;
}

describe('zone transfer to knotd', () => {
  let dns: DnsFixture | undefined;
  let knot: ChildProcess | undefined;
  let knotLog = '';
  let knotPort = 0;
  let knotDir = '';
  const tools = { kdig: interopTool('kdig'), knotd: interopTool('knotd'), dig: interopTool('dig') };
  const skip = tools.kdig.skip ?? tools.knotd.skip ?? tools.dig.skip;

  before(async () => {
    if (skip !== undefined) return;
    knotPort = await freeTcpPort();
    dns = await startDnsFixture({
      seed: {
        zones: [{ name: zone, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` }],
        records: [
          { zone, name: 'ns1', type: 'A', value: '192.0.2.53' },
          { zone, name: 'www', type: 'A', value: '192.0.2.1' },
          { zone, name: 'www', type: 'AAAA', value: '2001:db8::1' },
          { zone, name: '@', type: 'MX', value: `10 mail.${zone}` },
          { zone, name: 'mail', type: 'A', value: '192.0.2.25' },
          { zone, name: '@', type: 'TXT', value: 'x'.repeat(600) },
          { zone, name: '_x._tcp', type: 'SRV', value: `1 2 3 www.${zone}` },
          { zone, name: '@', type: 'CAA', value: '0 issue "ca.example.net"' },
          { zone, name: 'alias', type: 'CNAME', value: `www.${zone}` },
        ],
      },
      dns: { secondaries: [`127.0.0.1:${knotPort}`] },
      notifyRetryDelaysMs: [250, 500, 1000, 2000],
    });
    knotDir = mkdtempSync(join(tmpdir(), 'mcns-knot-'));
    writeFileSync(join(knotDir, 'knot.conf'), knotConfig(knotDir, knotPort, dns.port));
    knot = spawn(tools.knotd.path!, ['-c', join(knotDir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    knot.stderr!.on('data', (d: Buffer) => (knotLog += d.toString()));
  });
  after(async () => {
    if (knot && knot.exitCode === null) {
      const exited = new Promise((r) => knot!.once('exit', r));
      knot.kill('SIGTERM');
      await exited;
    }
    await dns?.close();
    if (knotDir) rmSync(knotDir, { recursive: true, force: true });
  });

  const knotAnswers = async (name: string, type: string, expected: string): Promise<boolean> => {
    const r = await runTool(tools.kdig.path!, ['@127.0.0.1', '-p', String(knotPort), '+time=1', '+retry=0', name, type]);
    return r.code === 0 && r.stdout.includes('status: NOERROR') && r.stdout.includes(expected);
  };

  it('knotd transfers the zone by AXFR and serves it', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const served = await pollUntil(() => knotAnswers(`www.${zone}`, 'A', '192.0.2.1'), 60, 250);
    assert.ok(served, `knotd never served the zone; its log:\n${knotLog}`);
    const caa = await runTool(tools.kdig.path!, ['@127.0.0.1', '-p', String(knotPort), zone, 'CAA']);
    assert.match(caa.stdout, /0 issue "ca\.example\.net"/);
  });

  it('a record created in the store reaches knotd through NOTIFY', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    dns!.store.createRecord(zone, { name: 'added', type: 'A', value: '192.0.2.123' });
    // knotd's own refresh timer is 3600 s (the SOA refresh): only the NOTIFY can bring this in time.
    const served = await pollUntil(() => knotAnswers(`added.${zone}`, 'A', '192.0.2.123'), 60, 250);
    assert.ok(served, `knotd never served the new record; its log:\n${knotLog}`);
    assert.match(knotLog, /notify|NOTIFY/);
  });

  it('AXFR gives the whole zone between two SOAs to allowed addresses, REFUSED to others', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const allowed = await runTool(tools.dig.path!, ['@127.0.0.1', '-p', String(dns!.port), zone, 'AXFR']);
    const lines = allowed.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';'));
    assert.match(lines[0]!, /\sSOA\s/);
    assert.match(lines.at(-1)!, /\sSOA\s/);
    for (const type of ['NS', 'A', 'AAAA', 'MX', 'TXT', 'SRV', 'CAA', 'CNAME']) {
      assert.ok(
        lines.some((l) => l.split(/\s+/)[3] === type),
        `the transfer has a ${type} record`,
      );
    }
    const refused = await runTool(tools.kdig.path!, ['-b', '127.0.0.2', '@127.0.0.1', '-p', String(dns!.port), zone, 'AXFR']);
    assert.match(refused.stdout + refused.stderr, /REFUSED/);
    const digRefused = await runTool(tools.dig.path!, ['-b', '127.0.0.2', '@127.0.0.1', '-p', String(dns!.port), zone, 'AXFR']);
    assert.match(digRefused.stdout, /Transfer failed/);
    assert.ok(!digRefused.stdout.split('\n').some((l) => /\sSOA\s/.test(l) && !l.startsWith(';')), 'no records leak');
  });

  it('IXFR is answered with the whole zone in AXFR form (RFC 1995 4), and refused like AXFR', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const ixfr = await runTool(tools.dig.path!, ['@127.0.0.1', '-p', String(dns!.port), zone, 'IXFR=1']);
    const lines = ixfr.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';'));
    assert.match(lines[0]!, /\sSOA\s/);
    assert.match(lines.at(-1)!, /\sSOA\s/);
    assert.ok(lines.some((l) => l.startsWith(`www.${zone}.`)));
    const refused = await runTool(tools.kdig.path!, ['-b', '127.0.0.2', '@127.0.0.1', '-p', String(dns!.port), zone, 'IXFR=1']);
    assert.match(refused.stdout + refused.stderr, /REFUSED/);
  });
});
