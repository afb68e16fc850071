// Bad input: random and mutated packets thrown at a running server over UDP and TCP for a bounded
// time (3 s or 20,000 packets, whichever comes first), while dig checks real answers back to back
// (UDP and TCP) the whole time, and once more afterwards.
// The packets come from fast-check with a fixed seed, so a failure can be replayed.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { interopTool } from '@metacircular/mcdsl/testing';
import { digAt, rdataOf, startDnsFixture, type DnsFixture } from './dns-harness.js';

const zone = 'fuzz.test';
const seed = Number(process.env['MCNS_FUZZ_SEED'] ?? 20261130);
const maxPackets = 20_000;
const maxMs = 3_000;

const types: dnsPacket.RecordType[] = [
  'A',
  'AAAA',
  'TXT',
  'MX',
  'NS',
  'SOA',
  'CNAME',
  'SRV',
  'CAA',
  'PTR',
  'ANY' as dnsPacket.RecordType,
  'AXFR',
  'OPT',
];

/** packets is an arbitrary of hostile messages: valid queries with random edits, cut short or grown, and noise. */
function packets(): fc.Arbitrary<Buffer> {
  const valid = fc
    .record({
      name: fc.constantFrom(`www.${zone}`, zone, `nope.${zone}`, `big.${zone}`, 'outside.example', '', `a.b.c.${zone}`),
      type: fc.constantFrom(...types),
      opcode: fc.constantFrom(0, 0, 0, 1, 2, 4, 5, 15),
      edns: fc.option(fc.record({ size: fc.integer({ min: 0, max: 65535 }), version: fc.constantFrom(0, 0, 1, 255) })),
    })
    .map(({ name, type, opcode, edns }) =>
      dnsPacket.encode({
        type: 'query',
        id: 1,
        flags: (opcode << 11) | dnsPacket.RECURSION_DESIRED,
        questions: [{ name, type: type === 'OPT' ? 'A' : type, class: 'IN' }],
        additionals: edns
          ? [
              {
                type: 'OPT',
                name: '.',
                udpPayloadSize: edns.size,
                ednsVersion: edns.version,
                options: [],
              } as unknown as dnsPacket.Answer,
            ]
          : [],
      }),
    );
  const mutated = fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.integer({ min: -20, max: 40 }),
    )
    .map(([base, edits, resize]) => {
      const msg = Buffer.alloc(Math.max(0, base.length + resize));
      base.copy(msg, 0, 0, Math.min(base.length, msg.length));
      for (const [at, value] of edits) if (msg.length > 0) msg[at % msg.length] = value;
      return msg;
    });
  const noise = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b));
  return fc.oneof({ weight: 6, arbitrary: mutated }, { weight: 2, arbitrary: valid }, { weight: 2, arbitrary: noise });
}

describe('fuzzing the DNS server', () => {
  let dns: DnsFixture;
  let upstream: DnsFixture;
  before(async () => {
    upstream = await startDnsFixture({
      seed: {
        zones: [{ name: 'example', primaryNs: 'ns.example', adminEmail: 'hostmaster@example' }],
        records: [{ zone: 'example', name: 'outside', type: 'A', value: '203.0.113.9' }],
      },
    });
    dns = await startDnsFixture({
      seed: {
        zones: [{ name: zone, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` }],
        records: [
          { zone, name: 'www', type: 'A', value: '192.0.2.1' },
          { zone, name: 'a.b.c', type: 'TXT', value: 'deep' },
          { zone, name: 'big', type: 'TXT', value: 'f'.repeat(3000) },
        ],
      },
      dns: { upstreams: [`127.0.0.1:${upstream.port}`], forward_timeout: '500ms', allow_transfer: ['127.0.0.0/8'] },
    });
  });
  after(async () => {
    await dns?.close();
    await upstream?.close();
  });

  it(`keeps answering dig correctly during and after ${maxPackets} hostile packets (seed ${seed})`, async (t) => {
    const dig = interopTool('dig');
    if (dig.skip !== undefined) return t.skip(dig.skip);
    const check = async (): Promise<void> => {
      const udp = await digAt(dig.path, dns.port, [`www.${zone}`, 'A']);
      assert.deepEqual(rdataOf(udp.answer, 'A'), ['192.0.2.1']);
      const tcp = await digAt(dig.path, dns.port, ['+tcp', `nope.${zone}`, 'A']);
      assert.equal(tcp.status, 'NXDOMAIN');
    };

    const generated = fc.sample(packets(), { numRuns: maxPackets, seed });
    const udp = createSocket('udp4');
    udp.on('message', () => {}); // replies are read and dropped
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const streams: Socket[] = [];
    const openStream = (): Socket => {
      const s = connect(dns.port, '127.0.0.1');
      s.on('error', () => {});
      s.on('data', () => {});
      streams.push(s);
      return s;
    };
    let stream = openStream();
    // dig checks back to back for as long as the packets fly, so "throughout" is literal: a
    // wrong answer or a hang at any point of the run fails the test.
    let fuzzing = true;
    let checksDuring = 0;
    const checker = (async () => {
      while (fuzzing) {
        await check();
        checksDuring++;
      }
    })().then(
      () => undefined,
      (err: unknown): Error => {
        fuzzing = false;
        return err instanceof Error ? err : new Error('a dig check failed');
      },
    );
    const started = Date.now();
    let sent = 0;
    try {
      for (const packet of generated) {
        const elapsed = Date.now() - started;
        // Stop after maxMs, once dig has checked at least twice meanwhile (at most 3 x maxMs).
        if (!fuzzing || (elapsed > maxMs && (checksDuring >= 2 || elapsed > 3 * maxMs))) break;
        if (sent % 4 === 3) {
          // TCP: framed (mostly honestly, sometimes with a lying length), now and then a new connection.
          const frame = Buffer.alloc(2 + packet.length);
          frame.writeUInt16BE(sent % 400 === 199 ? (packet.length + 100) & 0xffff : packet.length, 0);
          packet.copy(frame, 2);
          if (stream.destroyed || sent % 200 === 3) {
            stream.end();
            stream = openStream();
          }
          stream.write(frame);
        } else {
          udp.send(packet, dns.port, '127.0.0.1');
        }
        sent++;
        if (sent % 50 === 0) await nextTurn();
      }
      fuzzing = false;
      const failure = await checker;
      if (failure !== undefined) throw failure;
      assert.ok(sent > 100, `only ${sent} packets were sent`);
      assert.ok(checksDuring >= 1, 'dig checked the server while the packets were flying');
      t.diagnostic(`${sent} packets sent in ${Date.now() - started} ms; ${checksDuring} dig checks meanwhile`);
    } finally {
      fuzzing = false;
      udp.close();
      for (const s of streams) s.destroy();
    }
    await check();
  });
});
