// `mc up --detach` with the real registry: the compiled `mc` starts the real MCIAS and MCAT,
// bootstraps the admin and the system accounts, and a second run reuses all of it. Everything
// is checked from outside, as an operator or another service would: files, platform.json,
// `mc status`, and MCIAS's REST API over TLS against the platform CA. Needs the whole repo
// built (`npx tsc -b`; npm test does it).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createJsonClient } from '@metacircular/mcdsl';
import type { JsonClient } from '@metacircular/mcdsl';
import type { PlatformStatus } from '../src/launcher/status.js';
import { readPlatformFile } from '../src/platform-file.js';
import type { PlatformFile } from '../src/platform-file.js';
import { readPidFile } from '../src/supervisor/pid-file.js';
import { assertBuilt } from './fixtures/paths.js';
import { assertServicesBuilt, isGone, mc, mcFails, modeOf } from './helpers.js';

const running = ['mcias', 'mcat'];
const notBuilt = ['metacrypt', 'mc-proxy', 'mcr', 'mcns', 'mcp-agent', 'mcdoc'];
const systemAccounts = ['mcat', ...notBuilt];

interface TokenCheck {
  valid: boolean;
  username?: string;
  account_type?: string;
  roles?: string[];
}

/** Secrets is every secret file of the platform, read, to compare runs and to search for leaks. */
interface Secrets {
  readonly caPem: string;
  readonly caKey: string;
  readonly password: string;
  readonly masterKey: string;
  readonly tokens: Readonly<Record<string, string>>;
}

describe('mc up with the real MCIAS and MCAT', () => {
  let root: string;
  let dir: string;
  let file: PlatformFile;
  let first: Secrets;
  let mcias: JsonClient;

  const readSecrets = (): Secrets => ({
    caPem: readFileSync(join(dir, 'pki', 'ca.pem'), 'utf8'),
    caKey: readFileSync(join(dir, 'secrets', 'ca.key'), 'utf8'),
    password: readFileSync(join(dir, 'secrets', 'admin.password'), 'utf8').trim(),
    masterKey: readFileSync(join(dir, 'secrets', 'mcias-master.key'), 'utf8').trim(),
    tokens: Object.fromEntries(
      systemAccounts.map((name) => [name, readFileSync(join(dir, 'secrets', `${name}.token`), 'utf8').trim()]),
    ),
  });
  const platformPids = (): number[] => [
    readPidFile(join(dir, 'run', 'supervisor.pid'))?.pid ?? assert.fail('no supervisor pid file'),
    ...running.map((name) => {
      const pid = readPlatformFile(join(dir, 'platform.json'))?.services[name]?.pid;
      return typeof pid === 'number' ? pid : assert.fail(`no pid recorded for ${name}`);
    }),
  ];
  const validate = async (token: string): Promise<TokenCheck> => {
    const answer = await mcias.request<TokenCheck>('POST', '/v1/token/validate', { body: { token } });
    assert.equal(answer.status, 200);
    return answer.body;
  };
  /** adminLogin logs in with the password file's content and returns the validated token. */
  const adminLogin = async (): Promise<TokenCheck> => {
    const login = await mcias.request<{ token: string }>('POST', '/v1/auth/login', {
      body: { username: 'admin', password: readSecrets().password, service_name: 'platform-test' },
    });
    assert.equal(login.status, 200, 'the admin password from secrets/admin.password logs in');
    const check = await validate(login.body.token);
    await mcias.request('POST', '/v1/auth/logout', { token: login.body.token, body: {} });
    return check;
  };

  before(() => {
    assertBuilt();
    assertServicesBuilt(running);
    root = mkdtempSync(join(tmpdir(), 'mc-real-'));
    dir = join(root, 'platform');
  });
  after(async () => {
    mcias?.close();
    // Only does something when a test failed while the platform ran.
    await mc('down', '--dir', dir).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  test('up --detach starts MCIAS and MCAT healthy and lists the other services as not built yet', async () => {
    const { stdout } = await mc('up', '--detach', '--dir', dir);
    for (const name of running) {
      assert.match(stdout, new RegExp(`^starting ${name}\\.\\.\\. healthy \\(\\d+\\.\\ds\\)$`, 'm'));
    }
    assert.match(stdout, /^mcias\s+running\s+\d+\s+rest https:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(stdout, /^mcat\s+running\s+\d+\s+web https:\/\/127\.0\.0\.1:\d+\/$/m);
    for (const name of notBuilt) {
      assert.match(stdout, new RegExp(`^${name}: not built yet$`, 'm'));
      assert.match(stdout, new RegExp(`^${name}\\s+not built yet\\s+-$`, 'm'));
    }
    assert.match(stdout, /The platform runs in the background \(supervisor pid \d+\)/);

    file = readPlatformFile(join(dir, 'platform.json')) ?? assert.fail('no platform.json');
    assert.deepEqual(Object.keys(file.services), [...running, ...notBuilt]);
    const entry = file.services['mcias'] ?? assert.fail('no mcias entry');
    assert.equal(entry.state, 'running');
    assert.equal(typeof entry.pid, 'number');
    assert.match(String(entry['rest']), /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(String(entry['grpc']), /^127\.0\.0\.1:\d+$/);
    assert.equal(entry['jwks'], `${entry['rest']}/.well-known/jwks.json`);
    assert.equal(entry['web'], `${entry['rest']}/`);
    assert.equal(entry.health, `${entry['rest']}/v1/health`);
    assert.equal(file.services['mcat']?.state, 'running');
    assert.match(String(file.services['mcat']?.['web']), /^https:\/\/127\.0\.0\.1:\d+\/$/);
    for (const name of notBuilt) assert.deepEqual(file.services[name], { state: 'not_built', pid: null });
    assert.deepEqual(file.admin, { username: 'admin', password_file: join(dir, 'secrets', 'admin.password') });
    assert.deepEqual(
      file.system_tokens,
      Object.fromEntries(systemAccounts.map((name) => [name, join(dir, 'secrets', `${name}.token`)])),
    );
    mcias = createJsonClient({ baseUrl: String(entry['rest']), ca: readFileSync(file.ca_cert) });
    first = readSecrets();
  });

  test('secrets are 0600 in a 0700 folder, and neither platform.json nor any log holds one', () => {
    assert.equal(modeOf(join(dir, 'secrets')), 0o700);
    for (const name of readdirSync(join(dir, 'secrets'))) assert.equal(modeOf(join(dir, 'secrets', name)), 0o600, name);
    assert.match(first.masterKey, /^[0-9a-f]{64}$/);
    const secrets = [first.password, first.masterKey, ...Object.values(first.tokens)];
    // Parts of a token count too: a log line with a JWT's payload or signature is a leak.
    const pieces = [...secrets, ...Object.values(first.tokens).flatMap((token) => token.split('.').slice(1))];
    const published = readFileSync(join(dir, 'platform.json'), 'utf8');
    const logs = readdirSync(join(dir, 'logs')).map((name) => [name, readFileSync(join(dir, 'logs', name), 'utf8')]);
    for (const [name, text] of [['platform.json', published], ...logs] as const) {
      for (const secret of pieces) assert.ok(!text.includes(secret), `${name} holds a secret`);
      assert.doesNotMatch(text, /PRIVATE KEY/, name);
    }
  });

  test('the admin password logs in over HTTPS with the platform CA, and each system token is its account', async () => {
    const admin = await adminLogin();
    assert.equal(admin.valid, true);
    assert.equal(admin.username, 'admin');
    assert.ok(admin.roles?.includes('admin'));
    for (const name of systemAccounts) {
      const check = await validate(first.tokens[name] ?? '');
      assert.deepEqual([check.valid, check.username, check.account_type], [true, name, 'system'], name);
    }
    const jwks = await mcias.request<{ keys: { alg: string }[] }>('GET', '/.well-known/jwks.json');
    assert.deepEqual(
      jwks.body.keys.map((key) => key.alg),
      ['EdDSA'],
    );
    // Verification is real: without the platform CA the same server is refused.
    const untrusting = createJsonClient({ baseUrl: String(file.services['mcias']?.['rest']) });
    await assert.rejects(untrusting.request('GET', '/v1/health'), { name: 'UnavailableError' });
    untrusting.close();
  });

  test('status --json shows MCIAS and MCAT running and healthy, and the token files', async () => {
    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.equal(status.running, true);
    for (const name of running) {
      assert.deepEqual([status.services[name]?.state, status.services[name]?.healthy], ['running', true], name);
    }
    assert.deepEqual(status.system_tokens, file.system_tokens);
  });

  test('down leaves no process; a second up reuses the CA, the admin, the master key and the tokens', async () => {
    const before = platformPids();
    await mc('down', '--dir', dir);
    for (const pid of before) assert.ok(isGone(pid), `pid ${pid} is gone after mc down`);

    await mc('up', '--detach', '--dir', dir);
    mcias.close();
    file = readPlatformFile(join(dir, 'platform.json')) ?? assert.fail('no platform.json');
    mcias = createJsonClient({ baseUrl: String(file.services['mcias']?.['rest']), ca: readFileSync(file.ca_cert) });
    const again = readSecrets();
    assert.deepEqual(again, first, 'same CA, password, master key and token files');
    const initRuns = readFileSync(join(dir, 'logs', 'mcias.log'), 'utf8').match(/--- mc: mcias init/g) ?? [];
    assert.equal(initRuns.length, 1, 'the admin is created once, by the first run');
    assert.equal((await adminLogin()).username, 'admin');
    for (const name of systemAccounts) assert.equal((await validate(again.tokens[name] ?? '')).username, name);

    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.deepEqual(
      running.map((name) => status.services[name]?.healthy),
      [true, true],
    );
    const pids = platformPids();
    await mc('down', '--dir', dir);
    for (const pid of pids) assert.ok(isGone(pid), `pid ${pid} is gone after the second mc down`);
  });

  test('a password file that no longer logs in as the admin fails up with what to do, and stops MCIAS', async () => {
    const passwordFile = join(dir, 'secrets', 'admin.password');
    writeFileSync(passwordFile, 'not-the-admin-password-any-more\n', { mode: 0o600 });
    const failed = await mcFails('up', '--detach', '--dir', dir);
    assert.match(
      failed.stderr,
      new RegExp(`MCIAS already has an admin, but the password in ${passwordFile} does not log in as 'admin'`),
    );
    assert.match(failed.stderr, /mciasctl account set-password admin/);
    assert.equal(existsSync(join(dir, 'run', 'supervisor.pid')), false, 'the directory is released');
    const pids = [...readFileSync(join(dir, 'logs', 'mcias.log'), 'utf8').matchAll(/"pid":(\d+)/g)].map((m) => Number(m[1]));
    const last = pids.at(-1) ?? assert.fail('mcias logged no pid');
    assert.ok(isGone(last), `mcias (pid ${last}) was stopped`);
    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.deepEqual(
      running.map((name) => status.services[name]?.state),
      ['stopped', 'stopped'],
    );
  });
});
