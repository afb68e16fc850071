import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mailboxName, recordAnswer, relativeName, txtStrings } from './record-data.js';
import type { DnsZone } from './dns-store.js';

const zone: DnsZone = {
  id: 1,
  name: 'example.test',
  primaryNs: 'ns1.example.test',
  adminEmail: 'hostmaster@example.test',
  refresh: 3600,
  retry: 600,
  expire: 86400,
  minimumTtl: 300,
  serial: 2026010101,
};
const row = (type: string, value: string) => ({ name: 'x', type, value, ttl: 60 });
const dataOf = (a: ReturnType<typeof recordAnswer>): unknown => (a as { data?: unknown } | undefined)?.data;

describe('record data', () => {
  it('turns presentation values into dns-packet data', () => {
    assert.deepEqual(dataOf(recordAnswer(row('MX', '10 Mail.Example.test.'), 'x.example.test')), {
      preference: 10,
      exchange: 'mail.example.test',
    });
    assert.deepEqual(dataOf(recordAnswer(row('SRV', '10 5 443 t.example.test'), 'x')), {
      priority: 10,
      weight: 5,
      port: 443,
      target: 't.example.test',
    });
    assert.deepEqual(dataOf(recordAnswer(row('CAA', '128 issue "ca.example.net"'), 'x')), {
      flags: 128,
      tag: 'issue',
      value: 'ca.example.net',
    });
    assert.equal(dataOf(recordAnswer(row('CNAME', 'WWW.example.test'), 'x')), 'www.example.test');
    assert.equal(recordAnswer(row('MX', 'not a value'), 'x'), undefined);
    assert.equal(recordAnswer(row('HINFO', 'x'), 'x'), undefined);
  });

  it('splits TXT into strings of at most 255 bytes, counting UTF-8 bytes', () => {
    assert.deepEqual(
      txtStrings('').map((b) => b.length),
      [0],
    );
    assert.deepEqual(
      txtStrings('a'.repeat(600)).map((b) => b.length),
      [255, 255, 90],
    );
    assert.equal(Buffer.concat(txtStrings('é'.repeat(200))).toString(), 'é'.repeat(200));
  });

  it('writes the SOA mailbox in RNAME form and finds names relative to the zone', () => {
    assert.equal(mailboxName('hostmaster@Example.test'), 'hostmaster.example.test');
    assert.equal(mailboxName('first.last@example.test'), 'first\\.last.example.test');
    assert.equal(mailboxName('hostmaster.example.test.'), 'hostmaster.example.test');
    assert.equal(relativeName(zone, 'example.test'), '@');
    assert.equal(relativeName(zone, 'a.b.example.test'), 'a.b');
    assert.equal(relativeName(zone, 'badexample.test'), undefined);
  });
});
