import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { formatGoDuration } from './go-duration.js';
import { principalMatches } from './principal-glob.js';
import { buildProfile, type SSHProfileInput } from './ssh-profile.js';
import { sshKeyTypes } from './ssh-public-key.js';

const now = new Date('2026-05-01T00:00:00Z');

function refuses(input: SSHProfileInput, field: string, pattern: RegExp): void {
  assert.throws(
    () => buildProfile(input, now),
    (err: unknown) => err instanceof InvalidRequestError && err.message.startsWith(`${field}: `) && pattern.test(err.message),
    JSON.stringify(input),
  );
}

describe('buildProfile', () => {
  it('fills in the spec defaults per cert type', () => {
    const user = buildProfile({ name: 'u', certType: 'user' }, now);
    assert.equal(user.defaultTtlMs, 16 * 3_600_000);
    assert.equal(user.maxTtlMs, 24 * 3_600_000);
    assert.deepEqual(user.allowedKeyTypes, sshKeyTypes);
    assert.deepEqual(user.allowedPrincipals, []);
    const host = buildProfile({ name: 'h', certType: 'host', allowedKeyTypes: ['rsa', 'ed25519'] }, now);
    assert.equal(host.defaultTtlMs, 720 * 3_600_000);
    assert.equal(host.maxTtlMs, 8760 * 3_600_000);
    assert.deepEqual(host.allowedKeyTypes, ['ed25519', 'rsa']);
    assert.equal(host.createdAt, now.toISOString());
  });

  it('sorts and de-duplicates extensions and keeps valid critical options', () => {
    const p = buildProfile(
      {
        name: 'ops',
        certType: 'user',
        extensions: ['permit-pty', 'permit-X11-forwarding', 'permit-pty', 'login@example.com'],
        criticalOptions: { 'force-command': '/usr/bin/true', 'source-address': '10.0.0.0/8,192.168.1.5,::1/128' },
      },
      now,
    );
    assert.deepEqual(p.extensions, ['login@example.com', 'permit-X11-forwarding', 'permit-pty']);
    assert.equal(p.criticalOptions['source-address'], '10.0.0.0/8,192.168.1.5,::1/128');
  });

  it('refuses bad fields, naming each', () => {
    refuses({ name: 'Bad Name', certType: 'user' }, 'name', /must match/);
    refuses({ name: 'p', certType: 'both' }, 'cert_type', /"user" or "host"/);
    refuses({ name: 'p', certType: 'user', allowedPrincipals: ['a b'] }, 'allowed_principals', /whitespace/);
    refuses({ name: 'p', certType: 'user', allowedPrincipals: ['a,b'] }, 'allowed_principals', /comma/);
    refuses(
      { name: 'p', certType: 'user', allowedPrincipals: ['x'], defaultPrincipals: ['y'] },
      'default_principals',
      /matches none/,
    );
    refuses(
      { name: 'p', certType: 'user', defaultPrincipals: ['*'], allowedPrincipals: ['*'] },
      'default_principals',
      /wildcard/,
    );
    refuses({ name: 'p', certType: 'user', maxTtl: '1 day' }, 'max_ttl', /invalid duration/);
    refuses({ name: 'p', certType: 'user', maxTtl: '100000h' }, 'max_ttl', /between/);
    refuses({ name: 'p', certType: 'user', defaultTtl: '30h' }, 'default_ttl', /must not exceed max_ttl/);
    refuses({ name: 'p', certType: 'user', extensions: ['permit-everything'] }, 'extensions', /neither/);
    refuses({ name: 'p', certType: 'host', extensions: ['permit-pty'] }, 'extensions', /host certificates/);
    refuses({ name: 'p', certType: 'user', criticalOptions: { 'verify-required': '' } }, 'critical_options', /not supported/);
    refuses(
      { name: 'p', certType: 'user', criticalOptions: { 'source-address': '10.0.0.0/33' } },
      'critical_options',
      /source-address/,
    );
    refuses({ name: 'p', certType: 'user', criticalOptions: { 'force-command': ' ' } }, 'critical_options', /force-command/);
    refuses({ name: 'p', certType: 'user', allowedKeyTypes: ['dsa'] }, 'allowed_key_types', /"dsa"/);
  });
});

describe('principalMatches', () => {
  it('matches * and ? and nothing else specially', () => {
    assert.ok(principalMatches('*', 'anything'));
    assert.ok(principalMatches('*.example.net', 'a.b.example.net'));
    assert.ok(!principalMatches('*.example.net', 'example.net'));
    assert.ok(principalMatches('web-?', 'web-1'));
    assert.ok(!principalMatches('web-?', 'web-10'));
    assert.ok(!principalMatches('a.b', 'axb'));
    assert.ok(!principalMatches('root', 'Root'));
    assert.ok(principalMatches('web-*-*', 'web-a-b-c'));
    assert.ok(principalMatches('*a*b', 'xxaxxbxb'));
    assert.ok(!principalMatches('*a*b', 'xxaxxbxc'));
    assert.ok(principalMatches('a**', 'a'));
    assert.ok(principalMatches('', '') && !principalMatches('', 'a') && !principalMatches('a', ''));
    assert.ok(principalMatches('\\d+', '\\d+') && !principalMatches('\\d+', '1'));
  });

  it('answers a many-star glob against a long non-matching principal at once (no backtracking blow-up)', () => {
    // As a regular expression this pattern backtracks about 256^10 times; the walk is 32 x 256 steps.
    assert.ok(!principalMatches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(256)));
    assert.ok(principalMatches('*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(255)}b`));
  });
});

describe('formatGoDuration', () => {
  it('writes durations parseDuration reads back', () => {
    assert.equal(formatGoDuration(16 * 3_600_000), '16h');
    assert.equal(formatGoDuration(5_400_000), '1h30m');
    assert.equal(formatGoDuration(90_500), '1m30s500ms');
    assert.equal(formatGoDuration(0), '0s');
  });
});
