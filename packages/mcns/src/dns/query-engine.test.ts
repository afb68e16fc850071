import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { createLogger, openDatabase, type SqliteDatabase } from '@metacircular/mcdsl';
import { openMcnsStore, type McnsStore } from '../store/index.js';
import { AddressList } from './address-list.js';
import { QueryEngine, type Reply } from './query-engine.js';

const zone = 'example.test';
const logger = createLogger({ service: 'mcns-test', level: 'error' });

function ask(
  engine: QueryEngine,
  name: string,
  type: string,
  opts: { edns?: number; transport?: 'udp' | 'tcp'; client?: string } = {},
) {
  const msg = dnsPacket.encode({
    type: 'query',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
    additionals: opts.edns
      ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, options: [] } as unknown as dnsPacket.Answer]
      : [],
  });
  return decodeReply(engine.answer(msg, opts.transport ?? 'udp', opts.client ?? '127.0.0.1'));
}

function decodeReply(
  reply: Reply | Promise<Reply>,
): dnsPacket.DecodedPacket & { rcode: string; rcodeNumber: number; size: number } {
  assert.ok(reply instanceof Uint8Array, 'a synchronous single-message reply');
  const decoded = dnsPacket.decode(reply) as dnsPacket.DecodedPacket & { rcode: string };
  return Object.assign(decoded, { rcodeNumber: reply[3]! & 0xf, size: reply.length });
}

const data = (p: dnsPacket.DecodedPacket, section: 'answers' | 'authorities' | 'additionals' = 'answers') =>
  (p[section] ?? [])
    .filter((a) => a.type !== 'OPT')
    .map((a) => `${a.name} ${a.type} ${JSON.stringify((a as { data: unknown }).data)}`);

describe('QueryEngine (authoritative, real SQLite store)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: McnsStore;
  let engine: QueryEngine;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcns-engine-'));
    db = openDatabase(join(dir, 'mcns.db'));
    store = openMcnsStore(db);
    store.seed({
      zones: [
        { name: zone, primaryNs: `ns1.${zone}`, adminEmail: `host-master@${zone}`, minimumTtl: 120 },
        { name: `sub.${zone}`, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` },
      ],
      records: [
        { zone, name: 'ns1', type: 'A', value: '192.0.2.53' },
        { zone, name: 'www', type: 'A', value: '192.0.2.1' },
        { zone, name: 'www', type: 'A', value: '192.0.2.2' },
        { zone, name: 'www', type: 'AAAA', value: '2001:db8::1' },
        { zone, name: 'alias', type: 'CNAME', value: `www.${zone}` },
        { zone, name: 'chain', type: 'CNAME', value: `alias.${zone}` },
        { zone, name: 'dangling', type: 'CNAME', value: `gone.${zone}` },
        { zone, name: 'outside', type: 'CNAME', value: 'www.example.net' },
        { zone, name: 'a.b.c', type: 'TXT', value: 'deep' },
        { zone, name: 'big', type: 'TXT', value: 'y'.repeat(2000) },
        { zone, name: 'medium', type: 'TXT', value: 'm'.repeat(1000) },
        { zone, name: `x`, type: 'A', value: '192.0.2.7' },
        { zone: `sub.${zone}`, name: 'host', type: 'A', value: '198.51.100.1' },
      ],
    });
    engine = new QueryEngine({
      store,
      logger,
      udpPayloadSize: 1232,
      forwarder: undefined,
      recursionAllow: new AddressList(['127.0.0.0/8']),
      transferAllow: new AddressList(['127.0.0.1']),
    });
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every record of the asked type with AA, the question echoed as sent', () => {
    const r = ask(engine, 'WWW.Example.Test', 'A');
    assert.equal(r.flag_aa, true);
    assert.equal(r.flag_ra, false, 'no upstreams: no recursion available');
    assert.equal(r.flag_rd, true);
    assert.equal(r.id, 4242);
    assert.equal(r.questions![0]!.name, 'WWW.Example.Test');
    assert.deepEqual(data(r).sort(), [`www.${zone} A "192.0.2.1"`, `www.${zone} A "192.0.2.2"`]);
  });

  it('copies the CD bit of the query into authoritative answers (RFC 4035 3.2.2), cached or not', () => {
    const withFlags = (flags: number): Buffer =>
      dnsPacket.encode({ type: 'query', id: 7, flags, questions: [{ name: `x.${zone}`, type: 'A', class: 'IN' }] });
    const cd = dnsPacket.CHECKING_DISABLED;
    for (const flags of [cd, dnsPacket.RECURSION_DESIRED, cd | dnsPacket.RECURSION_DESIRED, 0]) {
      const r = decodeReply(engine.answer(withFlags(flags), 'udp', '127.0.0.1'));
      assert.equal(r.flag_cd, (flags & cd) !== 0, `CD for query flags ${flags}`);
      assert.equal(r.flag_rd, (flags & dnsPacket.RECURSION_DESIRED) !== 0);
      assert.equal(r.flag_aa, true);
      assert.deepEqual(data(r), [`x.${zone} A "192.0.2.7"`]);
    }
  });

  it('answers NXDOMAIN and NODATA with the SOA (TTL = minimum) in authority', () => {
    const nx = ask(engine, `nope.${zone}`, 'A');
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.equal(nx.flag_aa, true);
    assert.equal(nx.authorities![0]!.type, 'SOA');
    assert.equal((nx.authorities![0] as { ttl: number }).ttl, 120);
    const soa = (nx.authorities![0] as dnsPacket.SoaAnswer).data;
    assert.equal(soa.rname, 'host-master.example.test');
    const nodata = ask(engine, `www.${zone}`, 'MX');
    assert.equal(nodata.rcode, 'NOERROR');
    assert.equal(nodata.answers!.length, 0);
    assert.equal(nodata.authorities![0]!.type, 'SOA');
    const ent = ask(engine, `b.c.${zone}`, 'A');
    assert.equal(ent.rcode, 'NOERROR', 'an empty non-terminal is NODATA');
    assert.equal(ent.authorities![0]!.type, 'SOA');
  });

  it('chases CNAMEs inside the zone and reports the last name (RFC 6604)', () => {
    assert.deepEqual(data(ask(engine, `chain.${zone}`, 'AAAA')), [
      `chain.${zone} CNAME "alias.${zone}"`,
      `alias.${zone} CNAME "www.${zone}"`,
      `www.${zone} AAAA "2001:db8::1"`,
    ]);
    const dangling = ask(engine, `dangling.${zone}`, 'A');
    assert.equal(dangling.rcode, 'NXDOMAIN');
    assert.equal(data(dangling).length, 1);
    const outside = ask(engine, `outside.${zone}`, 'A');
    assert.equal(outside.rcode, 'NOERROR');
    assert.deepEqual(data(outside), [`outside.${zone} CNAME "www.example.net"`]);
    assert.deepEqual(data(ask(engine, `alias.${zone}`, 'CNAME')), [`alias.${zone} CNAME "www.${zone}"`]);
  });

  it('answers SOA for any name, NS at the apex with glue, ANY with everything', () => {
    assert.equal(ask(engine, `www.${zone}`, 'SOA').answers![0]!.name, zone);
    const ns = ask(engine, zone, 'NS');
    assert.deepEqual(data(ns), [`${zone} NS "ns1.${zone}"`]);
    assert.deepEqual(data(ns, 'additionals'), [`ns1.${zone} A "192.0.2.53"`]);
    const any = ask(engine, zone, 'ANY');
    assert.deepEqual(any.answers!.map((a) => a.type).sort(), ['NS', 'SOA']);
  });

  it('picks the longest zone', () => {
    const sub = ask(engine, `host.sub.${zone}`, 'A');
    assert.deepEqual(data(sub), [`host.sub.${zone} A "198.51.100.1"`]);
    assert.equal(ask(engine, `nothing.sub.${zone}`, 'A').authorities![0]!.name, `sub.${zone}`);
    assert.equal(ask(engine, `nothing.${zone}`, 'A').authorities![0]!.name, zone);
  });

  it('truncates with TC and no records over UDP when the answer does not fit, and not over TCP', () => {
    const small = ask(engine, `big.${zone}`, 'TXT', { edns: 512 });
    assert.equal(small.flag_tc, true);
    assert.equal(small.answers!.length, 0);
    assert.ok(small.size <= 512);
    const classic = ask(engine, `big.${zone}`, 'TXT');
    assert.equal(classic.flag_tc, true);
    assert.equal(classic.additionals!.length, 0, 'no OPT for a query without EDNS');
    const tcp = ask(engine, `big.${zone}`, 'TXT', { transport: 'tcp' });
    assert.equal(tcp.flag_tc, false);
    const txt = (tcp.answers![0] as dnsPacket.TxtAnswer).data as Buffer[];
    assert.equal(Buffer.concat(txt).toString(), 'y'.repeat(2000));
    assert.ok(txt.every((s) => s.length <= 255));
    assert.equal(ask(engine, `big.${zone}`, 'TXT', { edns: 4096 }).flag_tc, true, 'capped at our 1232 bytes');
    assert.equal(ask(engine, `medium.${zone}`, 'TXT', { edns: 512 }).flag_tc, true);
    const fits = ask(engine, `medium.${zone}`, 'TXT', { edns: 4096 });
    assert.equal(fits.flag_tc, false);
    const opt = fits.additionals!.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer;
    assert.equal(opt.udpPayloadSize, 1232, 'we advertise our own size');
  });

  it('answers other opcodes NOTIMP, EDNS versions above 0 BADVERS, other classes REFUSED', () => {
    const notify = dnsPacket.encode({ type: 'query', id: 1, flags: 4 << 11, questions: [{ name: zone, type: 'SOA' }] });
    assert.equal(decodeReply(engine.answer(notify, 'udp', '127.0.0.1')).rcodeNumber, 4);
    const v1 = dnsPacket.encode({
      type: 'query',
      id: 2,
      questions: [{ name: zone, type: 'SOA' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, ednsVersion: 1, options: [] } as unknown as dnsPacket.Answer],
    });
    const badvers = decodeReply(engine.answer(v1, 'udp', '127.0.0.1'));
    const opt = badvers.additionals!.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer;
    assert.equal(badvers.rcodeNumber, 0);
    assert.equal(opt.extendedRcode, 1, 'BADVERS is 16: extended rcode 1');
    const chaos = dnsPacket.encode({ type: 'query', id: 3, questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }] });
    assert.equal(decodeReply(engine.answer(chaos, 'udp', '127.0.0.1')).rcode, 'REFUSED');
    assert.equal(ask(engine, 'www.example.net', 'A').rcode, 'REFUSED', 'no upstreams');
  });

  it('transfers zones over TCP to allowed clients only', () => {
    const axfr = (client: string, transport: 'udp' | 'tcp') =>
      engine.answer(dnsPacket.encode({ type: 'query', id: 9, questions: [{ name: zone, type: 'AXFR' }] }), transport, client);
    assert.equal(decodeReply(axfr('127.0.0.2', 'tcp')).rcode, 'REFUSED');
    assert.equal(decodeReply(axfr('::ffff:127.0.0.1', 'udp')).rcode, 'REFUSED', 'AXFR is TCP-only');
    const messages = axfr('::ffff:127.0.0.1', 'tcp');
    assert.ok(Array.isArray(messages));
    const records = messages.flatMap((m) => dnsPacket.decode(m).answers!);
    assert.equal(records[0]!.type, 'SOA');
    assert.equal(records.at(-1)!.type, 'SOA');
    assert.ok(
      records.some((r) => r.type === 'NS' && r.name === zone),
      'the primary_ns NS record is transferred',
    );
    assert.equal(records.filter((r) => r.name === `host.sub.${zone}`).length, 0, 'another zone is not included');
  });

  it('shows a write by another connection after the current event-loop turn, and a local write at once', async () => {
    assert.equal(ask(engine, `new.${zone}`, 'A').rcode, 'NXDOMAIN');
    const other = openDatabase(join(dir, 'mcns.db'));
    try {
      openMcnsStore(other).createRecord(zone, { name: 'new', type: 'A', value: '192.0.2.200' });
    } finally {
      other.close();
    }
    await nextTurn();
    assert.deepEqual(data(ask(engine, `new.${zone}`, 'A')), [`new.${zone} A "192.0.2.200"`]);
    const serialBefore = (ask(engine, zone, 'SOA').answers![0] as dnsPacket.SoaAnswer).data.serial!;
    store.createRecord(zone, { name: 'new2', type: 'A', value: '192.0.2.201' });
    engine.clearAnswers(); // what startDnsServer does from store.onChange
    assert.deepEqual(data(ask(engine, `new2.${zone}`, 'A')), [`new2.${zone} A "192.0.2.201"`]);
    assert.ok((ask(engine, zone, 'SOA').answers![0] as dnsPacket.SoaAnswer).data.serial! > serialBefore);
  });
});
