import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { ForwardCache } from './forward-cache.js';
import { Forwarder } from './forwarder.js';
import { nameKeyOf, parseQuery, type ParsedQuery } from './query-parser.js';

const CD = 0x0010;

const clientQuery = (flags: number): { msg: Buffer; query: ParsedQuery } => {
  const msg = dnsPacket.encode({
    type: 'query',
    id: 0x1234,
    flags: dnsPacket.RECURSION_DESIRED | flags,
    questions: [{ name: 'signed.example.net', type: 'A', class: 'IN' }],
  });
  const query = parseQuery(msg);
  assert.ok(query.kind === 'query');
  return { msg, query };
};

describe('Forwarder', () => {
  let upstream: Socket;
  const seen: number[] = []; // the flags word of every query the upstream got
  before(async () => {
    upstream = createSocket('udp4');
    // A validating resolver: with CD it hands out data it could not validate (here 203.0.113.66),
    // without CD it would have refused that data; it answers the validated 192.0.2.1 instead.
    upstream.on('message', (msg, rinfo) => {
      const q = dnsPacket.decode(msg);
      const flags = msg.readUInt16BE(2);
      seen.push(flags);
      const reply = dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_AVAILABLE | (flags & CD),
        questions: q.questions,
        answers: [{ type: 'A', name: 'signed.example.net', ttl: 60, data: flags & CD ? '203.0.113.66' : '192.0.2.1' }],
      });
      upstream.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  });
  after(() => upstream.close());

  it('does not hand a checking-disabled (CD) answer to clients that did not set CD', async () => {
    const forwarder = new Forwarder({
      upstreams: [{ host: '127.0.0.1', port: upstream.address().port }],
      timeoutMs: 2000,
      cache: new ForwardCache({ maxEntries: 100 }),
      maxTtlSeconds: 300,
      udpPayloadSize: 1232,
    });
    try {
      const answerOf = async (flags: number): Promise<string> => {
        const { msg, query } = clientQuery(flags);
        const out = await forwarder.resolve(msg, query, nameKeyOf(msg, query), 512, undefined);
        return (dnsPacket.decode(out).answers![0] as { data: string }).data;
      };
      assert.equal(await answerOf(CD), '203.0.113.66');
      assert.equal(await answerOf(0), '192.0.2.1', 'the CD answer was not served from the cache');
      assert.equal(await answerOf(0), '192.0.2.1');
      assert.deepEqual(
        seen.map((f) => (f & CD) !== 0),
        [true, false],
        'one upstream query per CD setting, the second from the cache',
      );
    } finally {
      forwarder.close();
    }
  });
});
