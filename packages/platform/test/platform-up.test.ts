// mc up as a library, with the fixture HTTPS service: real processes, real ports on 127.0.0.1,
// real TLS validated against the CA `up` generated. Needs a build (npm test does one).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConflictError, UnavailableError } from '@metacircular/mcdsl';
import { up } from '../src/launcher/up.js';
import type { PlatformFile } from '../src/platform-file.js';
import type { PlatformSupervisor } from '../src/supervisor/platform-supervisor.js';
import type { SupervisorEvent } from '../src/supervisor/supervisor-event.js';
import { crashingService, fixtureService, unbuiltService } from './fixtures/fixture-registry.js';
import { assertBuilt } from './fixtures/paths.js';
import { getJSON, isGone, modeOf, nextEvent } from './helpers.js';

const backoff = { initialMs: 50, maxMs: 1000, resetAfterMs: 600_000 };

function readPlatform(dir: string): PlatformFile {
  return JSON.parse(readFileSync(join(dir, 'platform.json'), 'utf8')) as PlatformFile;
}

describe('mc up with the fixture service', () => {
  let dir: string;
  let supervisor: PlatformSupervisor | undefined;
  const events: SupervisorEvent[] = [];

  before(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'mc-up-'));
    supervisor = await up({
      dir,
      domain: 'example.internal',
      registry: [fixtureService('fixture'), unbuiltService('later')],
      supervisor: { backoff },
      onEvent: (event) => events.push(event),
    });
  });

  after(async () => {
    await supervisor?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('starts the service on a loopback port and reports progress in order', () => {
    const ports = JSON.parse(readFileSync(join(dir, 'ports.json'), 'utf8')) as Record<string, Record<string, number>>;
    const port = ports['fixture']?.['rest'];
    assert.ok(port !== undefined && port > 1024 && port < 65536);
    assert.equal(readPlatform(dir).services['fixture']?.['rest'], `https://127.0.0.1:${port}`);
    assert.deepEqual(
      events.map((e) => e.type),
      ['not-built', 'starting', 'healthy', 'ready'],
    );
    assert.deepEqual(events[0], { type: 'not-built', service: 'later' });
  });

  test('the health check passes over TLS 1.3, validated against the generated root CA', async () => {
    const file = readPlatform(dir);
    const ca = readFileSync(file.ca_cert, 'utf8');
    const health = file.services['fixture']?.health;
    assert.equal(typeof health, 'string');
    const result = await getJSON(String(health), ca);
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { status: 'ok' });
    assert.equal(result.protocol, 'TLSv1.3');
    assert.equal(result.peerNames, 'DNS:fixture.svc.mcp.example.internal, DNS:localhost, IP Address:127.0.0.1');
    // Without the platform CA the same endpoint is refused: verification is really on.
    await assert.rejects(getJSON(String(health)), (err: NodeJS.ErrnoException) => {
      assert.match(err.code ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/);
      return true;
    });
  });

  test('writes platform.json with the documented shape and no secret', () => {
    const text = readFileSync(join(dir, 'platform.json'), 'utf8');
    const file = JSON.parse(text) as PlatformFile;
    const entry = file.services['fixture'];
    assert.equal(file.version, 1);
    assert.equal(file.dir, dir);
    assert.equal(file.domain, 'example.internal');
    assert.equal(file.ca_cert, join(dir, 'pki', 'ca.pem'));
    assert.deepEqual(file.admin, { username: 'admin', password_file: join(dir, 'secrets', 'admin.password') });
    assert.deepEqual(Object.keys(file.services), ['fixture', 'later']);
    assert.deepEqual(file.services['later'], { state: 'not_built', pid: null });
    assert.equal(entry?.state, 'running');
    assert.equal(entry?.pid, supervisor?.pidOf('fixture'));
    assert.match(String(entry?.health), /^https:\/\/127\.0\.0\.1:\d+\/v1\/health$/);
    assert.equal(entry?.config, join(dir, 'fixture', 'fixture.toml'));
    assert.equal(entry?.data_dir, join(dir, 'fixture'));
    assert.equal(entry?.log, join(dir, 'logs', 'fixture.log'));
    const password = readFileSync(join(dir, 'secrets', 'admin.password'), 'utf8').trim();
    assert.equal(Buffer.from(password, 'base64url').length, 24);
    assert.ok(!text.includes(password), 'platform.json holds the admin password');
    assert.ok(!text.includes('PRIVATE KEY'), 'platform.json holds a private key');
  });

  test('keeps secrets owner-only: folders 0700, key and password files 0600', () => {
    assert.equal(modeOf(dir), 0o700);
    assert.equal(modeOf(join(dir, 'secrets')), 0o700);
    assert.equal(modeOf(join(dir, 'secrets', 'ca.key')), 0o600);
    assert.equal(modeOf(join(dir, 'secrets', 'admin.password')), 0o600);
    assert.equal(modeOf(join(dir, 'fixture')), 0o700);
    assert.equal(modeOf(join(dir, 'fixture', 'certs')), 0o700);
    assert.equal(modeOf(join(dir, 'fixture', 'certs', 'key.pem')), 0o600);
    assert.equal(modeOf(join(dir, 'fixture', 'fixture.toml')), 0o600);
    assert.equal(modeOf(join(dir, 'logs', 'fixture.log')), 0o600);
  });

  test('sends the service output to logs/<service>.log and runs afterStart once', () => {
    const log = readFileSync(join(dir, 'logs', 'fixture.log'), 'utf8');
    assert.match(log, /--- mc: starting fixture at /);
    assert.match(log, new RegExp(`fixture listening on 127\\.0\\.0\\.1:\\d+ \\(pid ${supervisor?.pidOf('fixture')}\\)`));
    assert.equal(readFileSync(join(dir, 'fixture', 'after-start.log'), 'utf8'), 'ran\n');
  });

  test('restarts a crashed service with exponential backoff', async () => {
    assert.ok(supervisor !== undefined);
    const ca = readFileSync(join(dir, 'pki', 'ca.pem'), 'utf8');
    const whoami = `${String(readPlatform(dir).services['fixture']?.['rest'])}/v1/whoami`;
    const seen: SupervisorEvent[] = [];
    supervisor.on('event', (e) => seen.push(e));

    const first = supervisor.pidOf('fixture');
    assert.ok(first !== undefined);
    const back = nextEvent(supervisor, (e) => e.type === 'healthy' && e.pid !== first);
    process.kill(first, 'SIGKILL');
    const healthy = await back;
    assert.ok(healthy.type === 'healthy');
    const second = healthy.pid;
    assert.deepEqual((await getJSON(whoami, ca)).body, { pid: second });
    assert.equal(readPlatform(dir).services['fixture']?.pid, second);
    assert.equal(readPlatform(dir).services['fixture']?.state, 'running');

    const backAgain = nextEvent(supervisor, (e) => e.type === 'healthy' && e.pid !== second);
    process.kill(second, 'SIGKILL');
    const third = await backAgain;
    assert.ok(third.type === 'healthy');
    assert.deepEqual((await getJSON(whoami, ca)).body, { pid: third.pid });

    assert.deepEqual(
      seen.map((e) => (e.type === 'starting' || e.type === 'healthy' ? { type: e.type } : e)),
      [
        { type: 'exited', service: 'fixture', pid: first, code: null, signal: 'SIGKILL' },
        { type: 'restarting', service: 'fixture', delayMs: 50, attempt: 1 },
        { type: 'starting' },
        { type: 'healthy' },
        { type: 'exited', service: 'fixture', pid: second, code: null, signal: 'SIGKILL' },
        // the second crash in a row waits twice as long
        { type: 'restarting', service: 'fixture', delayMs: 100, attempt: 2 },
        { type: 'starting' },
        { type: 'healthy' },
      ],
    );
    assert.ok(isGone(first) && isGone(second));
    // afterStart belongs to bootstrap, not to restarts.
    assert.equal(readFileSync(join(dir, 'fixture', 'after-start.log'), 'utf8'), 'ran\n');
  });

  test('refuses a second up on the same directory while the first runs', async () => {
    await assert.rejects(up({ dir, registry: [fixtureService('fixture')] }), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.match(err.message, /already running \(supervisor pid \d+\); stop it first with: mc down --dir /);
      return true;
    });
  });

  test('stop ends every process and marks the services stopped', async () => {
    assert.ok(supervisor !== undefined);
    const pid = supervisor.pidOf('fixture');
    assert.ok(pid !== undefined);
    await supervisor.stop();
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    const file = readPlatform(dir);
    assert.deepEqual(
      { state: file.services['fixture']?.state, pid: file.services['fixture']?.pid },
      { state: 'stopped', pid: null },
    );
    assert.equal(existsSync(join(dir, 'run', 'supervisor.pid')), false);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'run', 'children.json'), 'utf8')), {});
    assert.match(readFileSync(join(dir, 'logs', 'fixture.log'), 'utf8'), /fixture: SIGTERM, closing/);
  });

  test('a second run on the same directory reuses the CA, the admin password, the port and the leaf', async () => {
    const fingerprint = new X509Certificate(readFileSync(join(dir, 'pki', 'ca.pem'))).fingerprint256;
    const password = readFileSync(join(dir, 'secrets', 'admin.password'), 'utf8');
    const leaf = readFileSync(join(dir, 'fixture', 'certs', 'cert.pem'), 'utf8');
    const rest = readPlatform(dir).services['fixture']?.['rest'];

    supervisor = await up({ dir, registry: [fixtureService('fixture'), unbuiltService('later')], supervisor: { backoff } });
    assert.equal(new X509Certificate(readFileSync(join(dir, 'pki', 'ca.pem'))).fingerprint256, fingerprint);
    assert.equal(readFileSync(join(dir, 'secrets', 'admin.password'), 'utf8'), password);
    assert.equal(readFileSync(join(dir, 'fixture', 'certs', 'cert.pem'), 'utf8'), leaf);
    const file = readPlatform(dir);
    assert.equal(file.domain, 'example.internal', 'the domain of the last run is kept');
    assert.equal(file.services['fixture']?.['rest'], rest);
    const result = await getJSON(`${String(rest)}/v1/health`, readFileSync(file.ca_cert, 'utf8'));
    assert.equal(result.status, 200);
    await supervisor.stop();
  });

  test('changing the domain reissues the leaf for the new name under the same CA', async () => {
    const fingerprint = new X509Certificate(readFileSync(join(dir, 'pki', 'ca.pem'))).fingerprint256;
    supervisor = await up({ dir, domain: 'other.internal', registry: [fixtureService('fixture')], supervisor: { backoff } });
    const file = readPlatform(dir);
    const ca = readFileSync(file.ca_cert, 'utf8');
    assert.equal(new X509Certificate(ca).fingerprint256, fingerprint);
    const result = await getJSON(`${String(file.services['fixture']?.['rest'])}/v1/health`, ca);
    assert.equal(result.peerNames, 'DNS:fixture.svc.mcp.other.internal, DNS:localhost, IP Address:127.0.0.1');
    await supervisor.stop();
  });
});

describe('mc up when a service cannot start', () => {
  let dir: string;
  before(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'mc-up-fail-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('fails naming the service and its log, stops what it started, releases the directory', async () => {
    const events: SupervisorEvent[] = [];
    await assert.rejects(
      up({
        dir,
        registry: [fixtureService('fixture'), crashingService('crasher')],
        supervisor: { backoff, startTimeoutMs: 2000 },
        onEvent: (event) => events.push(event),
      }),
      (err: unknown) => {
        assert.ok(err instanceof UnavailableError);
        assert.match(
          err.message,
          /^crasher did not become healthy within 2s \(last check of https:\/\/127\.0\.0\.1:\d+\/v1\/health: [^)]+\); see .*crasher\.log$/,
        );
        return true;
      },
    );
    const fixturePid = events.find((e) => e.type === 'healthy' && e.service === 'fixture');
    assert.ok(fixturePid?.type === 'healthy');
    assert.ok(isGone(fixturePid.pid), 'the service that did start was stopped');
    assert.ok(events.some((e) => e.type === 'exited' && e.service === 'crasher' && e.code === 3));
    assert.match(readFileSync(join(dir, 'logs', 'crasher.log'), 'utf8'), /crash-on-start: failing on purpose/);
    assert.equal(existsSync(join(dir, 'run', 'supervisor.pid')), false);
    const file = readPlatform(dir);
    assert.equal(file.services['fixture']?.state, 'stopped');
    assert.equal(file.services['crasher']?.state, 'stopped');
  });

  test('stopping through the abort signal during startup ends it cleanly', async () => {
    const controller = new AbortController();
    const started = up({
      dir,
      registry: [crashingService('crasher')],
      supervisor: { backoff, startTimeoutMs: 60_000 },
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'exited') controller.abort();
      },
    });
    await assert.rejects(started, /crasher was stopped before it became healthy/);
    assert.equal(existsSync(join(dir, 'run', 'supervisor.pid')), false);
  });
});
