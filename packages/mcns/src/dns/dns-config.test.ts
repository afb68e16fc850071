import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dnsSection, parseCidr, parseEndpoint } from './dns-config.js';

describe('[dns] config', () => {
  it('has the documented defaults', () => {
    const c = dnsSection.parse({});
    assert.deepEqual(c.listen_addr, [':53']);
    assert.deepEqual(c.upstreams, []);
    assert.equal(c.cache_max_entries, 1000);
    assert.equal(c.cache_max_ttl, 300_000);
    assert.equal(c.forward_timeout, 2000);
    assert.ok(c.recursion_allow.includes('100.64.0.0/10'));
    assert.equal(c.udp_payload_size, 1232);
    assert.equal(c.workers, 1);
  });

  it('reads lists of listen addresses, upstreams and ACLs', () => {
    const c = dnsSection.parse({
      listen_addr: ['192.168.88.181:53', '[::1]:5353'],
      upstreams: ['1.1.1.1:53', '[2606:4700:4700::1111]:53', '8.8.8.8'],
      secondaries: ['192.0.2.2:53'],
      allow_transfer: ['10.0.0.0/8', '2001:db8::1'],
    });
    assert.deepEqual(c.listen_addr, ['192.168.88.181:53', '[::1]:5353']);
    assert.deepEqual(c.upstreams, [
      { host: '1.1.1.1', port: 53 },
      { host: '2606:4700:4700::1111', port: 53 },
      { host: '8.8.8.8', port: 53 },
    ]);
  });

  it('refuses bad values, naming them', () => {
    for (const bad of [
      { listen_addr: 'nope' },
      { upstreams: ['dns.google:53'] },
      { upstreams: ['1.1.1.1:0'] },
      { recursion_allow: ['10.0.0.0/33'] },
      { allow_transfer: ['x'] },
      { udp_payload_size: 100 },
      { forward_timeout: '0s' },
      { unknown_key: 1 },
    ]) {
      assert.equal(dnsSection.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.equal(parseEndpoint('[1.2.3.4]:53'), undefined);
    assert.deepEqual(parseCidr('fc00::/7'), { address: 'fc00::', prefix: 7, family: 'ipv6' });
  });
});
