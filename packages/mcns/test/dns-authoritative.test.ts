// Interop: dig and kdig, over UDP and TCP, against a real MCNS DNS server and SQLite store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { interopTool } from '@metacircular/mcdsl/testing';
import { digAt, rdataOf, runTool, startDnsFixture, type DnsFixture } from './dns-harness.js';

const zone = 'mcns.test';
const reverse = '2.0.192.in-addr.arpa';
const seed = {
  zones: [
    { name: zone, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` },
    { name: reverse, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` },
  ],
  records: [
    { zone, name: 'ns1', type: 'A', value: '192.0.2.53' },
    { zone, name: 'www', type: 'A', value: '192.0.2.1' },
    { zone, name: 'www', type: 'A', value: '192.0.2.2' },
    { zone, name: 'www', type: 'AAAA', value: '2001:db8::1' },
    { zone, name: 'alias', type: 'CNAME', value: `www.${zone}` },
    { zone, name: '@', type: 'MX', value: `10 mail.${zone}` },
    { zone, name: 'mail', type: 'A', value: '192.0.2.25' },
    { zone, name: '@', type: 'TXT', value: 'v=spf1 -all' },
    { zone, name: '_sip._tcp', type: 'SRV', value: `10 5 5060 www.${zone}` },
    { zone, name: '@', type: 'CAA', value: '0 issue "letsencrypt.org"' },
    { zone, name: 'a.b', type: 'TXT', value: 'deep' },
    { zone, name: 'big', type: 'TXT', value: 'z'.repeat(3000) },
    { zone: reverse, name: '1', type: 'PTR', value: `www.${zone}` },
  ],
};

const tools = ['dig', 'kdig'] as const;
const transports = [[], ['+tcp']] as const;

describe('authoritative DNS with dig and kdig', () => {
  let dns: DnsFixture;
  before(async () => {
    dns = await startDnsFixture({ seed });
  });
  after(async () => {
    await dns?.close();
  });

  for (const name of tools) {
    for (const transport of transports) {
      const label = `${name} over ${transport.length === 0 ? 'UDP' : 'TCP'}`;
      it(`${label}: every record type, with AA, the right sections and the question as sent`, async (t) => {
        const tool = interopTool(name);
        if (tool.skip !== undefined) return t.skip(tool.skip);
        const ask = (...args: string[]) => digAt(tool.path, dns.port, [...transport, ...args]);

        const a = await ask('WWW.Mcns.Test', 'A');
        assert.equal(a.status, 'NOERROR');
        assert.ok(a.flags.includes('qr') && a.flags.includes('aa'), `flags ${a.flags.join(' ')}`);
        assert.ok(!a.flags.includes('ra'), 'no upstreams: RA clear');
        assert.ok(!a.flags.includes('tc'));
        // dig shows the question section as received (kdig prints names lower-cased).
        if (name === 'dig') assert.match(a.raw, /;WWW\.Mcns\.Test\.\s+IN\s+A/, 'the question is echoed as sent');
        assert.deepEqual(rdataOf(a.answer, 'A'), ['192.0.2.1', '192.0.2.2']);
        assert.deepEqual(a.authority, []);

        assert.deepEqual(rdataOf((await ask(`www.${zone}`, 'AAAA')).answer, 'AAAA'), ['2001:db8::1']);

        const cname = await ask(`alias.${zone}`, 'A');
        assert.deepEqual(rdataOf(cname.answer, 'CNAME'), [`www.${zone}.`]);
        assert.deepEqual(rdataOf(cname.answer, 'A'), ['192.0.2.1', '192.0.2.2'], 'the CNAME is chased inside the zone');

        const mx = await ask(zone, 'MX');
        assert.deepEqual(rdataOf(mx.answer, 'MX'), [`10 mail.${zone}.`]);
        assert.deepEqual(rdataOf(mx.additional, 'A'), ['192.0.2.25'], 'the in-zone exchange address is in additional');

        assert.deepEqual(rdataOf((await ask(zone, 'TXT')).answer, 'TXT'), ['"v=spf1 -all"']);
        assert.deepEqual(rdataOf((await ask(`_sip._tcp.${zone}`, 'SRV')).answer, 'SRV'), [`10 5 5060 www.${zone}.`]);
        assert.deepEqual(rdataOf((await ask(zone, 'CAA')).answer, 'CAA'), ['0 issue "letsencrypt.org"']);
        assert.deepEqual(rdataOf((await ask('-x', '192.0.2.1')).answer, 'PTR'), [`www.${zone}.`]);

        const soa = await ask(zone, 'SOA');
        const [soaData] = rdataOf(soa.answer, 'SOA');
        assert.match(soaData!, new RegExp(`^ns1\\.${zone}\\. hostmaster\\.${zone}\\. \\d{10} 3600 600 86400 300$`));

        const ns = await ask(zone, 'NS');
        assert.deepEqual(rdataOf(ns.answer, 'NS'), [`ns1.${zone}.`]);
        assert.deepEqual(rdataOf(ns.additional, 'A'), ['192.0.2.53'], 'glue for the in-zone name server');
      });

      it(`${label}: NXDOMAIN and NODATA carry the zone SOA in authority`, async (t) => {
        const tool = interopTool(name);
        if (tool.skip !== undefined) return t.skip(tool.skip);
        const ask = (...args: string[]) => digAt(tool.path, dns.port, [...transport, ...args]);

        const nx = await ask(`nope.${zone}`, 'A');
        assert.equal(nx.status, 'NXDOMAIN');
        assert.ok(nx.flags.includes('aa'));
        assert.deepEqual(nx.answer, []);
        assert.equal(rdataOf(nx.authority, 'SOA').length, 1);
        assert.match(nx.authority[0]!, new RegExp(`^${zone}\\. 300 IN SOA `));

        const nodata = await ask(`www.${zone}`, 'MX');
        assert.equal(nodata.status, 'NOERROR');
        assert.deepEqual(nodata.answer, []);
        assert.equal(rdataOf(nodata.authority, 'SOA').length, 1);

        const ent = await ask(`b.${zone}`, 'A');
        assert.equal(ent.status, 'NOERROR', 'an empty non-terminal exists');
        assert.equal(rdataOf(ent.authority, 'SOA').length, 1);
      });
    }
  }

  it('a big TXT answer truncates over UDP with +bufsize=512 and comes whole over TCP', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const udp = await digAt(dig.path, dns.port, ['+bufsize=512', '+ignore', `big.${zone}`, 'TXT']);
    assert.equal(udp.status, 'NOERROR');
    assert.ok(udp.flags.includes('tc'), `flags ${udp.flags.join(' ')}`);
    assert.deepEqual(udp.answer, []);
    const tcp = await digAt(dig.path, dns.port, ['+tcp', `big.${zone}`, 'TXT']);
    assert.ok(!tcp.flags.includes('tc'));
    const [text] = rdataOf(tcp.answer, 'TXT');
    assert.equal(text!.replace(/[" ]/g, ''), 'z'.repeat(3000));
    // Without +ignore, dig itself retries over TCP on TC and gets the whole record.
    const retried = await digAt(dig.path, dns.port, ['+bufsize=512', `big.${zone}`, 'TXT']);
    assert.equal(rdataOf(retried.answer, 'TXT')[0]!.replace(/[" ]/g, ''), 'z'.repeat(3000));
  });

  it('a record created in the store is answered at once, and the SOA serial increased', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const serialOf = async () =>
      Number(rdataOf((await digAt(dig.path, dns.port, [zone, 'SOA'])).answer, 'SOA')[0]!.split(' ')[2]);
    const before = await serialOf();
    assert.equal((await digAt(dig.path, dns.port, [`fresh.${zone}`, 'A'])).status, 'NXDOMAIN');
    dns.store.createRecord(zone, { name: 'fresh', type: 'A', value: '192.0.2.77', ttl: 60 });
    const answer = await digAt(dig.path, dns.port, [`fresh.${zone}`, 'A']);
    assert.deepEqual(answer.answer, [`fresh.${zone}. 60 IN A 192.0.2.77`]);
    assert.ok((await serialOf()) > before);
    const record = dns.store.listRecords(zone, { name: 'fresh' })[0]!;
    dns.store.deleteRecord(zone, record.id);
    assert.equal((await digAt(dig.path, dns.port, [`fresh.${zone}`, 'A'])).status, 'NXDOMAIN');
  });
});

describe('DNS server options', () => {
  it('sets RA when upstreams are configured', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const dns = await startDnsFixture({ seed, dns: { upstreams: ['127.0.0.1:9'], forward_timeout: '200ms' } });
    try {
      const a = await digAt(dig.path, dns.port, [`www.${zone}`, 'A']);
      assert.ok(a.flags.includes('ra') && a.flags.includes('aa'), `flags ${a.flags.join(' ')}`);
    } finally {
      await dns.close();
    }
  });

  it('listens on every listen_addr, IPv6 included, on UDP and TCP', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    let dns: DnsFixture;
    try {
      dns = await startDnsFixture({ seed, dns: { listen_addr: ['127.0.0.1:0', '[::1]:0'] } });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return t.skip('no IPv6 loopback here');
      throw err;
    }
    try {
      assert.equal(dns.server.addresses.length, 2);
      const v6 = dns.server.addresses[1]!;
      assert.equal(v6.host, '::1');
      for (const transport of ['+notcp', '+tcp']) {
        const r = await runTool(dig.path, ['@::1', '-p', String(v6.port), transport, '+short', `www.${zone}`, 'AAAA']);
        assert.equal(r.stdout.trim(), '2001:db8::1');
      }
    } finally {
      await dns.close();
    }
  });

  it('answers UDP from several processes when workers > 1, each seeing writes at once', async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const dns = await startDnsFixture({ seed, dns: { workers: 2 } });
    try {
      // Enough queries that both processes answer some; every answer must be right.
      for (let i = 0; i < 10; i++) {
        assert.deepEqual(rdataOf((await digAt(dig.path, dns.port, [`www.${zone}`, 'A'])).answer, 'A'), [
          '192.0.2.1',
          '192.0.2.2',
        ]);
      }
      dns.store.createRecord(zone, { name: 'worker', type: 'A', value: '192.0.2.88' });
      for (let i = 0; i < 10; i++) {
        assert.deepEqual(rdataOf((await digAt(dig.path, dns.port, [`worker.${zone}`, 'A'])).answer, 'A'), ['192.0.2.88']);
      }
      const tcp = await digAt(dig.path, dns.port, ['+tcp', `worker.${zone}`, 'A']);
      assert.deepEqual(rdataOf(tcp.answer, 'A'), ['192.0.2.88']);
    } finally {
      await dns.close();
    }
  });
});
