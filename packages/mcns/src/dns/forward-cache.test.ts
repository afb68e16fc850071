import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { cacheTtlOf, ForwardCache, forwardKey } from './forward-cache.js';
import { parseQuery, nameKeyOf, type ParsedQuery } from './query-parser.js';
import { renderUpstream } from './upstream-answer.js';

const upstreamAnswer = (rcode: number, ttls: number[], extra: Partial<dnsPacket.Packet> = {}): Buffer => {
  const msg = dnsPacket.encode({
    type: 'response',
    id: 7,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ name: 'www.example.net', type: 'A', class: 'IN' }],
    answers: ttls.map((ttl, i) => ({ type: 'A', name: 'www.example.net', ttl, data: `192.0.2.${i + 1}` })),
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, options: [] } as unknown as dnsPacket.Answer],
    ...extra,
  });
  msg[3] = (msg[3]! & 0xf0) | rcode;
  return msg;
};

const clientQuery = (name: string, edns: boolean): { msg: Buffer; query: ParsedQuery } => {
  const msg = dnsPacket.encode({
    type: 'query',
    id: 0xbeef,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: 'A', class: 'IN' }],
    additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: 4096, options: [] } as unknown as dnsPacket.Answer] : [],
  });
  const query = parseQuery(msg);
  assert.ok(query.kind === 'query');
  return { msg, query };
};

describe('cacheTtlOf', () => {
  it('is the smallest TTL, capped', () => {
    assert.equal(cacheTtlOf(upstreamAnswer(0, [600, 120, 900]), 300), 120);
    assert.equal(cacheTtlOf(upstreamAnswer(0, [3600]), 300), 300);
  });
  it('is 0 (never cached) for SERVFAIL, REFUSED, empty answers, TTL 0 and truncation', () => {
    assert.equal(cacheTtlOf(upstreamAnswer(2, [60]), 300), 0);
    assert.equal(cacheTtlOf(upstreamAnswer(5, [60]), 300), 0);
    assert.equal(cacheTtlOf(upstreamAnswer(0, []), 300), 0);
    assert.equal(cacheTtlOf(upstreamAnswer(3, []), 300), 0);
    assert.equal(cacheTtlOf(upstreamAnswer(0, [60, 0]), 300), 0);
    const tc = upstreamAnswer(0, [60]);
    tc[2] = tc[2]! | 0x02;
    assert.equal(cacheTtlOf(tc, 300), 0);
  });
});

describe('ForwardCache', () => {
  it('expires entries by the injected clock and reports their age', () => {
    let now = 1_000_000;
    const cache = new ForwardCache({ maxEntries: 10, now: () => now });
    const msg = upstreamAnswer(0, [60]);
    cache.set('k', msg, 60);
    assert.equal(cache.get('k')?.ageSeconds, 0);
    now += 59_999;
    assert.equal(cache.get('k')?.ageSeconds, 59);
    now += 1;
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.size, 0);
  });

  it('evicts expired entries from the oldest end first, then the oldest, and stores nothing when disabled', () => {
    let now = 0;
    const cache = new ForwardCache({ maxEntries: 3, now: () => now });
    const msg = upstreamAnswer(0, [60]);
    cache.set('short', msg, 1);
    cache.set('old', msg, 100);
    cache.set('mid', msg, 100);
    now = 2000; // 'short' has expired
    cache.set('new1', msg, 100);
    assert.ok(cache.get('old') && cache.get('mid') && cache.get('new1'));
    assert.equal(cache.get('short'), undefined);
    cache.set('new2', msg, 100); // full, nothing expired: the oldest ('old') goes
    assert.equal(cache.get('old'), undefined);
    assert.equal(cache.size, 3);
    cache.set('mid', msg, 100); // a refreshed entry becomes the newest
    cache.set('new3', msg, 100);
    assert.equal(cache.get('new1'), undefined, 'the oldest after the refresh went');
    assert.ok(cache.get('mid') && cache.get('new2') && cache.get('new3'));
    const off = new ForwardCache({ maxEntries: 0 });
    off.set('k', msg, 100);
    assert.equal(off.get('k'), undefined);
  });

  it('stays bounded under churn and evicts in O(1) amortised (no scan of the whole cache per insert)', () => {
    let now = 0;
    const max = 1000;
    const cache = new ForwardCache({ maxEntries: max, now: () => now });
    const msg = upstreamAnswer(0, [60]);
    for (let i = 0; i < max; i++) cache.set(`fill${i}`, msg, 300);
    // Count the steps of every Map iterator while the full cache takes `max` more entries (some
    // with expired neighbours): a scan per insert would take about max * max steps.
    const iteratorProto = Object.getPrototypeOf(new Map().keys()) as { next: (this: unknown) => unknown };
    const next = iteratorProto.next;
    let steps = 0;
    iteratorProto.next = function (this: unknown) {
      steps++;
      return next.call(this);
    };
    try {
      for (let i = 0; i < max; i++) {
        now += 10;
        cache.set(`churn${i}`, msg, i % 3 === 0 ? 1 : 300);
        assert.ok(cache.size <= max);
      }
    } finally {
      iteratorProto.next = next;
    }
    assert.ok(steps < 10 * max, `${steps} iterator steps for ${max} inserts`);
    assert.ok(cache.size >= max - 1, 'full but for expired entries dropped at the front');
    assert.ok(cache.get(`churn${max - 1}`), 'the newest entry is there');
  });

  it('keys on the name case-insensitively, the type, the class, the DO bit and the CD bit', () => {
    const a = clientQuery('WWW.example.net', false);
    const b = clientQuery('www.EXAMPLE.net', false);
    assert.equal(forwardKey(nameKeyOf(a.msg, a.query), 1, 1, false), forwardKey(nameKeyOf(b.msg, b.query), 1, 1, false));
    assert.notEqual(forwardKey('x', 1, 1, false), forwardKey('x', 1, 1, true));
    assert.notEqual(forwardKey('x', 1, 1, false), forwardKey('x', 28, 1, false));
    assert.notEqual(forwardKey('x', 1, 1, false, false), forwardKey('x', 1, 1, false, true), 'the CD bit');
  });
});

describe('renderUpstream', () => {
  it('gives the client its ID and question case, ages TTLs, clears AA and sets RA', () => {
    const { msg, query } = clientQuery('WwW.Example.NET', true);
    const out = renderUpstream(upstreamAnswer(0, [300, 100]), 40, msg, query, 4096, {
      udpPayloadSize: 1232,
      extendedRcode: 0,
      dnssecOk: false,
    });
    assert.ok(out);
    const decoded = dnsPacket.decode(out);
    assert.equal(decoded.id, 0xbeef);
    assert.equal(decoded.questions![0]!.name, 'WwW.Example.NET');
    assert.equal(decoded.flag_aa, false);
    assert.equal(decoded.flag_ra, true);
    assert.deepEqual(
      decoded.answers!.map((a) => (a as { ttl: number }).ttl),
      [260, 60],
    );
    assert.equal(decoded.additionals!.filter((a) => a.type === 'OPT').length, 1);
  });

  it('drops the OPT record for clients without EDNS and truncates what does not fit', () => {
    const { msg, query } = clientQuery('www.example.net', false);
    const small = renderUpstream(upstreamAnswer(0, [300]), 0, msg, query, 512, undefined);
    assert.ok(small);
    assert.equal(dnsPacket.decode(small).additionals!.length, 0);
    const many = upstreamAnswer(
      0,
      Array.from({ length: 40 }, () => 300),
    );
    const truncated = renderUpstream(many, 0, msg, query, 512, undefined);
    assert.ok(truncated);
    const decoded = dnsPacket.decode(truncated);
    assert.equal(decoded.flag_tc, true);
    assert.equal(decoded.answers!.length, 0);
    assert.equal(decoded.questions!.length, 1);
  });
});
