// Forwarding: a front MCNS forwards to a second MCNS (the upstream), which itself forwards to a
// closed port so that it answers SERVFAIL for names it does not serve. The front's cache clock is
// injected, so ageing and expiry are checked without waiting.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { interopTool } from '@metacircular/mcdsl/testing';
import { digAt, rdataOf, startDnsFixture, type DnsFixture } from './dns-harness.js';

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

describe('forwarding to an upstream MCNS', () => {
  let upstream: DnsFixture | undefined;
  let front: DnsFixture;
  let now = 1_700_000_000_000;

  before(async () => {
    upstream = await startDnsFixture({
      seed: {
        zones: [{ name: 'upstream.test', primaryNs: 'ns1.upstream.test', adminEmail: 'hostmaster@upstream.test' }],
        records: [
          { zone: 'upstream.test', name: 'www', type: 'A', value: '198.51.100.10', ttl: 300 },
          { zone: 'upstream.test', name: 'big', type: 'TXT', value: 'u'.repeat(2500), ttl: 300 },
        ],
      },
      dns: { upstreams: [`127.0.0.1:${await closedPort()}`], forward_timeout: '300ms' },
    });
    front = await startDnsFixture({
      seed: {
        zones: [{ name: 'front.test', primaryNs: 'ns1.front.test', adminEmail: 'hostmaster@front.test' }],
        records: [{ zone: 'front.test', name: 'www', type: 'A', value: '192.0.2.10' }],
      },
      dns: { upstreams: [`127.0.0.1:${upstream.port}`], forward_timeout: '3s', recursion_allow: ['127.0.0.1/32'] },
      now: () => now,
    });
  });
  after(async () => {
    await front?.close();
    await upstream?.close();
  });

  it('forwards names outside its zones, with RA and without AA, and keeps its own zones authoritative', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const a = await digAt(dig.path, front.port, ['www.upstream.test', 'A']);
    assert.equal(a.status, 'NOERROR');
    assert.deepEqual(a.answer, ['www.upstream.test. 300 IN A 198.51.100.10']);
    assert.ok(a.flags.includes('ra') && !a.flags.includes('aa'), `flags ${a.flags.join(' ')}`);
    const own = await digAt(dig.path, front.port, ['www.front.test', 'A']);
    assert.ok(own.flags.includes('aa') && own.flags.includes('ra'));
    const kdig = interopTool('kdig');
    if (kdig.skip === undefined) {
      const k = await digAt(kdig.path, front.port, ['+tcp', 'WWW.upstream.test', 'A']);
      assert.deepEqual(rdataOf(k.answer, 'A'), ['198.51.100.10']);
    }
  });

  it('retries over TCP when the upstream truncates, and gives the client the whole answer', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const tcp = await digAt(dig.path, front.port, ['+tcp', 'big.upstream.test', 'TXT']);
    assert.equal(rdataOf(tcp.answer, 'TXT')[0]!.replace(/[" ]/g, ''), 'u'.repeat(2500));
    const udp = await digAt(dig.path, front.port, ['+bufsize=1232', '+ignore', 'big.upstream.test', 'TXT']);
    assert.ok(udp.flags.includes('tc'), 'too big for the client over UDP');
  });

  it('does not cache SERVFAIL', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    assert.equal((await digAt(dig.path, front.port, ['late.test', 'A'])).status, 'SERVFAIL');
    upstream!.store.createZone({ name: 'late.test', primaryNs: 'ns1.late.test', adminEmail: 'hostmaster@late.test' });
    upstream!.store.createRecord('late.test', { name: '@', type: 'A', value: '203.0.113.5', ttl: 120 });
    const late = await digAt(dig.path, front.port, ['late.test', 'A']);
    assert.equal(late.status, 'NOERROR');
    assert.deepEqual(rdataOf(late.answer, 'A'), ['203.0.113.5']);
  });

  it('answers from the cache with aged TTLs while the upstream is stopped, until the TTL runs out', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    now += 10_000;
    assert.deepEqual((await digAt(dig.path, front.port, ['www.upstream.test', 'A'])).answer, [
      'www.upstream.test. 290 IN A 198.51.100.10',
    ]);
    await upstream!.close();
    upstream = undefined;
    const cached = await digAt(dig.path, front.port, ['www.upstream.test', 'A']);
    assert.equal(cached.status, 'NOERROR');
    assert.deepEqual(cached.answer, ['www.upstream.test. 290 IN A 198.51.100.10']);
    now += 290_000; // the entry's 300 s are over
    assert.equal((await digAt(dig.path, front.port, ['www.upstream.test', 'A'])).status, 'SERVFAIL');
  });

  it('refuses recursion to clients outside recursion_allow, but still answers its zones', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const refused = await digAt(dig.path, front.port, ['-b', '127.0.0.2', 'late.test', 'A']);
    assert.equal(refused.status, 'REFUSED');
    assert.deepEqual(refused.answer, []);
    const own = await digAt(dig.path, front.port, ['-b', '127.0.0.2', 'www.front.test', 'A']);
    assert.deepEqual(own.answer, ['www.front.test. 300 IN A 192.0.2.10']);
  });
});
