// The CA engine's small parsers and encoders: SAN validation, serials, revocation reasons, mount
// config, and the DER writer checked against @peculiar/asn1-schema's encodings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Time } from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { validateCaConfig, caSettings } from '../src/engines/ca/ca-config.js';
import { ipBytes } from '../src/engines/ca/certificate-extensions.js';
import { children, integer, namedBits, oid, readElement, seq, time, utf8 } from '../src/engines/ca/der.js';
import { parseReason } from '../src/engines/ca/revocation-reason.js';
import { normalizeSerial, randomSerial } from '../src/engines/ca/serial-number.js';
import { certNames, normalizeDnsName, normalizeIp } from '../src/engines/ca/subject-names.js';

const invalid = (fn: () => unknown, message: RegExp): void =>
  assert.throws(fn, (e: unknown) => e instanceof InvalidRequestError && message.test(e.message));

describe('certificate names', () => {
  it('lower-cases DNS names, adds the CN to the SANs and drops duplicates', () => {
    const names = certNames({
      commonName: 'Web.Example.Test',
      dnsNames: ['API.example.test', 'web.example.test'],
      ipAddresses: ['10.0.0.1', '10.0.0.1'],
    });
    assert.deepEqual(names, {
      commonName: 'web.example.test',
      dnsNames: ['api.example.test', 'web.example.test'],
      ipAddresses: ['10.0.0.1'],
    });
    assert.deepEqual(certNames({ commonName: '192.0.2.9' }), {
      commonName: '192.0.2.9',
      dnsNames: [],
      ipAddresses: ['192.0.2.9'],
    });
    assert.equal(certNames({ dnsNames: ['b.example.test'] }).commonName, 'b.example.test');
    const long = `${'a'.repeat(60)}.example.test`;
    assert.equal(certNames({ dnsNames: [long] }).commonName, '', 'a CN over 64 characters is left out');
  });

  it('refuses what is not a DNS name, with the field in the message', () => {
    for (const bad of [
      '',
      'a..b',
      '-a.example',
      'a-.example',
      'under_score.example',
      'exa mple.test',
      'x.example.',
      `${'a'.repeat(64)}.example`,
      'é.example',
      'a.*.example',
      '*.test',
    ]) {
      invalid(() => normalizeDnsName(bad, 'sans'), /^sans: /);
    }
    assert.equal(normalizeDnsName('*.svc.example.test', 'sans'), '*.svc.example.test');
    invalid(() => normalizeDnsName('*.svc.example.test', 'permitted_dns_domains', false), /^permitted_dns_domains: /);
    assert.equal(normalizeDnsName('xn--bcher-kva.example', 'sans'), 'xn--bcher-kva.example');
  });

  it('canonicalises IP addresses and encodes them as 4 or 16 bytes', () => {
    assert.equal(normalizeIp('2001:DB8:0:0:0:0:0:1', 'ip_sans'), '2001:db8::1');
    // The IPv4 address in IPv6 clothing would slip past IPv4 policy globs such as denied_sans "10.0.0.*".
    for (const mapped of ['::ffff:10.0.0.1', '::FFFF:a00:1', '0:0:0:0:0:ffff:a00:1'])
      invalid(
        () => normalizeIp(mapped, 'ip_sans'),
        /^ip_sans: .* is an IPv4-mapped IPv6 address; give the IPv4 address 10\.0\.0\.1$/,
      );
    assert.equal(normalizeIp('::a00:1', 'ip_sans'), '::a00:1');
    assert.equal(normalizeIp(' 192.0.2.1 ', 'ip_sans'), '192.0.2.1');
    for (const bad of ['10.0.0', '10.0.0.256', 'fe80::1%eth0', 'example.test', '01.2.3.4'])
      invalid(() => normalizeIp(bad, 'ip_sans'), /^ip_sans: /);
    assert.equal(ipBytes('192.0.2.1').toString('hex'), 'c0000201');
    assert.equal(ipBytes('2001:db8::1').toString('hex'), '20010db8000000000000000000000001');
    assert.equal(ipBytes('::').toString('hex'), '0'.repeat(32));
    assert.equal(ipBytes('fe80::').toString('hex'), `fe80${'0'.repeat(28)}`);
  });
});

describe('serials and reasons', () => {
  it('makes 16-byte positive serials whose hex is always 32 digits', () => {
    for (let i = 0; i < 200; i++) {
      const s = randomSerial();
      assert.match(s.hex, /^[4-7][0-9a-f]{31}$/);
      assert.equal(normalizeSerial(s.hex), s.hex);
    }
  });

  it('reads serials as tools print them', () => {
    assert.equal(normalizeSerial('4A:0B:FF'), '4a0bff');
    assert.equal(normalizeSerial('0x004a0bff'), '4a0bff');
    assert.equal(normalizeSerial('a0bff'), '0a0bff');
    invalid(() => normalizeSerial('4a0g'), /^serial: /);
    invalid(() => normalizeSerial(''), /^serial: /);
  });

  it('accepts reasons by snake_case, camelCase and code', () => {
    assert.deepEqual(parseReason(undefined), { name: 'unspecified', code: 0 });
    assert.deepEqual(parseReason('key_compromise'), { name: 'key_compromise', code: 1 });
    assert.deepEqual(parseReason('cACompromise'), { name: 'ca_compromise', code: 2 });
    assert.deepEqual(parseReason('cessationOfOperation'), { name: 'cessation_of_operation', code: 5 });
    assert.deepEqual(parseReason('9'), { name: 'privilege_withdrawn', code: 9 });
    invalid(() => parseReason('8'), /^reason: unknown revocation reason/);
    invalid(() => parseReason('bored'), /^reason: /);
  });
});

describe('CA mount config', () => {
  it('fills defaults and keeps durations as written', () => {
    assert.deepEqual(validateCaConfig({}), {
      default_issuers: ['infra', 'services', 'clients'],
      default_ttl: '2160h',
      issuer_max_ttl: '8760h',
    });
    const s = caSettings(
      validateCaConfig({ crl_base_url: 'https://mc.example.test:8443/', default_issuers: [], default_ttl: '24h' }),
    );
    assert.deepEqual(s, {
      crlBaseUrl: 'https://mc.example.test:8443',
      defaultIssuers: [],
      defaultTtlMs: 86_400_000,
      issuerMaxTtlMs: 8760 * 3_600_000,
    });
  });

  it('names the bad key', () => {
    invalid(() => validateCaConfig({ crl_base_url: 'ftp://x' }), /^config\.crl_base_url: /);
    invalid(() => validateCaConfig({ crl_base_url: 'https://x/?q=1' }), /^config\.crl_base_url: /);
    invalid(() => validateCaConfig({ default_ttl: '90d' }), /^config\.default_ttl: /);
    invalid(() => validateCaConfig({ default_issuers: ['Bad'] }), /^config\.default_issuers\.0: /);
    invalid(() => validateCaConfig({ colour: 'blue' }), /^config\.\(config\): unknown key\(s\) colour/);
  });
});

describe('DER writer', () => {
  it('encodes integers minimally and positive', () => {
    assert.equal(integer(0).toString('hex'), '020100');
    assert.equal(integer(127).toString('hex'), '02017f');
    assert.equal(integer(128).toString('hex'), '02020080');
    assert.equal(integer(256).toString('hex'), '02020100');
    assert.equal(integer(Buffer.from('00007f', 'hex')).toString('hex'), '02017f');
    assert.equal(integer(Buffer.from('ff', 'hex')).toString('hex'), '020200ff');
  });

  it('encodes OIDs, bit flags, strings and lengths as X.690 says', () => {
    assert.equal(oid('2.5.29.17').toString('hex'), '0603551d11');
    assert.equal(oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
    assert.equal(oid('1.3.6.1.5.5.7.3.1').toString('hex'), '06082b06010505070301');
    assert.equal(namedBits([0]).toString('hex'), '03020780', 'digitalSignature');
    assert.equal(namedBits([5, 6]).toString('hex'), '03020106', 'keyCertSign|cRLSign');
    assert.equal(utf8('é').toString('hex'), '0c02c3a9');
    const big = seq(Buffer.alloc(300));
    assert.equal(big.subarray(0, 4).toString('hex'), '3082012c');
    assert.equal(readElement(big).content.length, 300);
    assert.equal(children(readElement(seq(integer(1), integer(2))).content).length, 2);
  });

  it('writes times the way asn1-schema does (UTCTime to 2049, GeneralizedTime after)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (d) => {
          const ours = time(d);
          const theirs = Buffer.from(AsnConvert.serialize(new Time(d)));
          assert.equal(ours.toString('hex'), theirs.toString('hex'));
        },
      ),
      { numRuns: 300 },
    );
  });
});
