import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { assertDomainName, defaultDomain, serviceHostname } from './domain-name.js';

test('assertDomainName normalizes good names and refuses the rest', () => {
  assert.equal(assertDomainName('Example.Internal.'), 'example.internal');
  assert.equal(assertDomainName(defaultDomain), 'metacircular.internal');
  for (const bad of ['localhost', 'a..b', '-a.b', 'a b.c', 'a/b.c', '*.example.com', '']) {
    assert.throws(() => assertDomainName(bad), InvalidRequestError, bad);
  }
});

test('serviceHostname follows <service>.svc.mcp.<domain>', () => {
  assert.equal(serviceHostname('mcias', 'example.internal'), 'mcias.svc.mcp.example.internal');
});
