import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressList, canonicalAddress, sameAddress } from './address-list.js';

describe('canonicalAddress and sameAddress', () => {
  it('spell each IPv6 address one way: compressed, lower-case, mapped IPv4 as IPv4', () => {
    assert.equal(canonicalAddress('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(canonicalAddress('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalAddress('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(canonicalAddress('::FFFF:c000:0201'), '192.0.2.1');
    assert.equal(canonicalAddress('0:0:0:0:0:ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(canonicalAddress('192.0.2.1'), '192.0.2.1');
    assert.equal(canonicalAddress('FE80::1%eth0'), 'fe80::1%eth0', 'a scoped address is only lower-cased');
  });

  it('compare addresses, not their text', () => {
    assert.ok(sameAddress('2001:db8::1', '2001:0DB8:0000::0001'));
    assert.ok(sameAddress('::ffff:127.0.0.1', '127.0.0.1'));
    assert.ok(!sameAddress('2001:db8::1', '2001:db8::2'));
    assert.ok(!sameAddress('::1', '127.0.0.1'));
  });
});

describe('AddressList', () => {
  it('matches IPv4-mapped clients as IPv4 and nothing when empty', () => {
    const list = new AddressList(['10.0.0.0/8', '2001:db8::/32']);
    assert.ok(list.contains('::ffff:10.1.2.3'));
    assert.ok(list.contains('2001:DB8::5'));
    assert.ok(!list.contains('192.0.2.1'));
    assert.ok(!new AddressList([]).contains('10.0.0.1'));
  });
});
