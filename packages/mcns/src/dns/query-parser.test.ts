import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { DROP, FORMERR, nameKeyOf, parseQuery, wireNameText } from './query-parser.js';
import { questionEndOf, walkRecords } from './message-walker.js';

const query = (name: string, type: dnsPacket.RecordType = 'A', extra: Partial<dnsPacket.Packet> = {}): Buffer =>
  dnsPacket.encode({
    type: 'query',
    id: 4660,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    ...extra,
  });

describe('parseQuery', () => {
  it('reads the header, the question and the EDNS record of a dig-like query', () => {
    const msg = query('WWW.Example.test', 'AAAA', {
      additionals: [
        { type: 'OPT', name: '.', udpPayloadSize: 4096, flags: dnsPacket.DNSSEC_OK, options: [] } as unknown as dnsPacket.Answer,
      ],
    });
    const q = parseQuery(msg);
    assert.equal(q.kind, 'query');
    if (q.kind !== 'query') return;
    assert.equal(q.id, 4660);
    assert.equal(q.opcode, 0);
    assert.equal(q.qtype, 28);
    assert.equal(q.qclass, 1);
    assert.deepEqual(q.edns, { udpSize: 4096, version: 0, dnssecOk: true });
    assert.equal(wireNameText(msg, 12), 'www.example.test');
    assert.equal(
      nameKeyOf(msg, q),
      nameKeyOf(query('www.example.TEST', 'AAAA'), parseQuery(query('www.example.TEST', 'AAAA')) as never),
    );
  });

  it('drops what is shorter than a header and every response', () => {
    assert.equal(parseQuery(Buffer.alloc(11)), DROP);
    const response = query('a.test');
    response[2] = response[2]! | 0x80;
    assert.equal(parseQuery(response), DROP);
  });

  it('answers FORMERR for a readable header with a broken body', () => {
    const msg = query('a.test');
    assert.equal(parseQuery(msg.subarray(0, msg.length - 1)), FORMERR, 'question cut short');
    const two = Buffer.from(msg);
    two[5] = 2;
    assert.equal(parseQuery(two), FORMERR, 'two questions');
    const none = Buffer.from(msg);
    none[5] = 0;
    assert.equal(parseQuery(none), FORMERR, 'no question');
    const pointer = Buffer.concat([msg.subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
    assert.equal(parseQuery(pointer), FORMERR, 'compression pointer in the question');
    const badOpt = Buffer.from(msg);
    badOpt[11] = 1; // claims an additional record that is not there
    assert.equal(parseQuery(badOpt), FORMERR);
  });

  it('escapes bytes that are not hostname characters in the text form', () => {
    const msg = Buffer.concat([Buffer.alloc(12), Buffer.from([3, 0x61, 0x2e, 0x42, 4, 0x74, 0x65, 0x73, 0x74, 0])]);
    assert.equal(wireNameText(msg, 12), 'a\\046b.test');
    assert.equal(wireNameText(Buffer.concat([Buffer.alloc(12), Buffer.from([0])]), 12), '');
  });

  it('folds only ASCII letters in the cache key (RFC 4343): bytes 0xC0 and 0xE0 are different names', () => {
    const withByte = (b: number): Buffer => {
      const msg = Buffer.concat([Buffer.alloc(12), Buffer.from([1, b, 4, 0x74, 0x65, 0x73, 0x74, 0, 0, 1, 0, 1])]);
      msg[5] = 1;
      return msg;
    };
    const keyOf = (msg: Buffer): string => {
      const parsed = parseQuery(msg);
      assert.ok(parsed.kind === 'query');
      return nameKeyOf(msg, parsed);
    };
    assert.notEqual(keyOf(withByte(0xc0)), keyOf(withByte(0xe0)));
    assert.notEqual(keyOf(withByte(0xde)), keyOf(withByte(0xfe)));
    assert.equal(keyOf(withByte(0x41)), keyOf(withByte(0x61)), 'A and a are the same name');
    assert.equal(keyOf(withByte(0xc0)), keyOf(withByte(0xc0)));
  });

  it('agrees with dns-packet on every query dns-packet can encode', () => {
    const label = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    const name = fc.array(label, { minLength: 0, maxLength: 5 }).map((l) => l.join('.'));
    const type = fc.constantFrom<dnsPacket.RecordType>(
      'A',
      'AAAA',
      'MX',
      'TXT',
      'NS',
      'SOA',
      'CNAME',
      'SRV',
      'CAA',
      'PTR',
      'ANY' as dnsPacket.RecordType,
      'AXFR',
    );
    const edns = fc.option(fc.record({ size: fc.integer({ min: 0, max: 65535 }), dnssec: fc.boolean() }), { nil: undefined });
    fc.assert(
      fc.property(
        name,
        type,
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 0x7fff }),
        edns,
        (n, t, id, flags, e) => {
          const msg = dnsPacket.encode({
            type: 'query',
            id,
            flags: flags & ~0x780f, // opcode 0, rcode 0 (dns-packet decodes them as strings)
            questions: [{ name: n, type: t, class: 'IN' }],
            additionals: e
              ? [
                  {
                    type: 'OPT',
                    name: '.',
                    udpPayloadSize: e.size,
                    flags: e.dnssec ? dnsPacket.DNSSEC_OK : 0,
                    options: [],
                  } as unknown as dnsPacket.Answer,
                ]
              : [],
          });
          const mine = parseQuery(msg);
          const theirs = dnsPacket.decode(msg);
          assert.equal(mine.kind, 'query');
          if (mine.kind !== 'query') return;
          assert.equal(mine.id, theirs.id);
          assert.equal(wireNameText(msg, 12), theirs.questions![0]!.name.toLowerCase().replace(/^\.$/, ''));
          assert.equal(dnsPacket.decode(msg).questions![0]!.type, t);
          assert.equal(mine.questionEnd, questionEndOf(msg));
          const opt = theirs.additionals?.find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
          assert.equal(mine.edns?.udpSize, opt?.udpPayloadSize);
          assert.equal(mine.edns?.dnssecOk, opt === undefined ? undefined : opt.flag_do);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on random or mutated queries, and what it accepts can be walked', () => {
    const base = query('host.example.test', 'A', {
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, options: [] } as unknown as dnsPacket.Answer],
    });
    const mutated = fc
      .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
      .chain((edits) =>
        fc.nat(base.length).map((cut) => {
          const msg = Buffer.from(base);
          for (const [at, value] of edits) msg[at] = value;
          return cut < 12 ? msg : msg.subarray(0, cut);
        }),
      );
    const random = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b) => Buffer.from(b));
    fc.assert(
      fc.property(fc.oneof(mutated, random), (msg) => {
        const result = parseQuery(msg);
        if (result.kind === 'query') {
          assert.ok(result.questionEnd <= msg.length);
          assert.ok(walkRecords(msg, result.questionEnd) !== undefined);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
