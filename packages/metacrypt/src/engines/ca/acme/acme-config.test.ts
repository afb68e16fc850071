import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { acmeConfig } from './acme-config.js';

describe('acmeConfig', () => {
  it('fills in the documented defaults', () => {
    assert.deepEqual(acmeConfig(), {
      enabled: true,
      externalUrl: '',
      dnsResolver: '',
      http01Port: 80,
      http01Address: '',
      validationTimeoutMs: 10_000,
    });
  });

  it('keeps given values and drops a trailing slash from external_url', () => {
    const c = acmeConfig({
      external_url: 'https://mc.example.test:8443/',
      dns_resolver: '127.0.0.1:5353',
      http01_port: 8080,
      http01_address: '127.0.0.1',
    });
    assert.equal(c.externalUrl, 'https://mc.example.test:8443');
    assert.equal(c.dnsResolver, '127.0.0.1:5353');
    assert.equal(c.http01Port, 8080);
    assert.equal(c.http01Address, '127.0.0.1');
  });

  it('refuses URLs that are not https and ports out of range, naming the key', () => {
    assert.throws(
      () => acmeConfig({ external_url: 'http://mc.example.test' }),
      (e: unknown) => e instanceof InvalidRequestError && /acme\.external_url/.test(e.message),
    );
    assert.throws(() => acmeConfig({ external_url: 'not a url' }), /acme\.external_url/);
    assert.throws(() => acmeConfig({ http01_port: 0 }), /acme\.http01_port/);
    assert.throws(() => acmeConfig({ http01_port: 70000 }), /acme\.http01_port/);
  });
});
