// `mc up --detach` with the real registry: the compiled `mc` starts the real MCIAS, MCAT,
// Metacrypt and every later service that is built, bootstraps the admin and the system
// accounts, inits and unseals Metacrypt and sets up its mounts and policy, and a second run
// reuses all of it. Everything is checked from outside, as an operator or another service
// would: files, platform.json, `mc status`, openssl, and the REST APIs of MCIAS and Metacrypt
// over TLS against the platform CA. Needs the whole repo built (`npx tsc -b`; npm test does it).
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createJsonClient } from '@metacircular/mcdsl';
import type { JsonClient } from '@metacircular/mcdsl';
import { interopTool } from '@metacircular/mcdsl/testing';
import type { PlatformStatus } from '../src/launcher/status.js';
import { readPlatformFile } from '../src/platform-file.js';
import type { PlatformFile } from '../src/platform-file.js';
import { locateServiceEntry } from '../src/registry/locate-service.js';
import { serviceDefinitions } from '../src/registry/service-definitions.js';
import { readPidFile } from '../src/supervisor/pid-file.js';
import { assertBuilt } from './fixtures/paths.js';
import { assertServicesBuilt, isGone, mc, mcFails, modeOf } from './helpers.js';

// MCIAS, MCAT and Metacrypt must be built; whatever else is built runs too (after Metacrypt,
// so it gets its leaf from Metacrypt).
const required = ['mcias', 'mcat', 'metacrypt'];
const allServices = serviceDefinitions.map((definition) => definition.name);
const running = serviceDefinitions.filter((definition) => locateServiceEntry(definition) !== undefined).map((d) => d.name);
const notBuilt = allServices.filter((name) => !running.includes(name));
const systemAccounts = allServices.filter((name) => name !== 'mcias');
const afterMetacrypt = running.slice(running.indexOf('metacrypt') + 1);
const domain = 'metacircular.internal';
const openssl = interopTool('openssl');

interface MetacryptRule {
  id: string;
  name: string;
}

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
  readonly metacryptPassword: string;
  readonly tokens: Readonly<Record<string, string>>;
}

describe('mc up with the real MCIAS, MCAT, Metacrypt and the services after it', () => {
  let root: string;
  let dir: string;
  let file: PlatformFile;
  let first: Secrets;
  let mcias: JsonClient;
  let metacrypt: JsonClient;

  const readSecrets = (): Secrets => ({
    caPem: readFileSync(join(dir, 'pki', 'ca.pem'), 'utf8'),
    caKey: readFileSync(join(dir, 'secrets', 'ca.key'), 'utf8'),
    password: readFileSync(join(dir, 'secrets', 'admin.password'), 'utf8').trim(),
    masterKey: readFileSync(join(dir, 'secrets', 'mcias-master.key'), 'utf8').trim(),
    metacryptPassword: readFileSync(join(dir, 'secrets', 'metacrypt.password'), 'utf8').trim(),
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
  /** asAdmin runs `work` with a fresh admin token, logged out afterwards. */
  const asAdmin = async <T>(work: (token: string) => Promise<T>): Promise<T> => {
    const login = await mcias.request<{ token: string }>('POST', '/v1/auth/login', {
      body: { username: 'admin', password: readSecrets().password, service_name: 'platform-test' },
    });
    assert.equal(login.status, 200);
    try {
      return await work(login.body.token);
    } finally {
      await mcias.request('POST', '/v1/auth/logout', { token: login.body.token, body: {} });
    }
  };
  /** connect (re)opens the clients of MCIAS and Metacrypt at the addresses platform.json gives. */
  const connect = (): void => {
    mcias?.close();
    metacrypt?.close();
    file = readPlatformFile(join(dir, 'platform.json')) ?? assert.fail('no platform.json');
    const ca = readFileSync(file.ca_cert);
    mcias = createJsonClient({ baseUrl: String(file.services['mcias']?.['rest']), ca });
    metacrypt = createJsonClient({ baseUrl: String(file.services['metacrypt']?.['rest']), ca });
  };
  /** metacryptState is what Metacrypt owns now: seal state, root, issuers, mounts and policy rules. */
  const metacryptState = (): Promise<{
    state: string;
    root: string;
    issuers: string[];
    mounts: string[];
    rules: MetacryptRule[];
  }> =>
    asAdmin(async (token) => {
      const get = async <T>(path: string): Promise<T> => {
        const answer = await metacrypt.request<T>('GET', path, { token });
        assert.equal(answer.status, 200, path);
        return answer.body;
      };
      return {
        state: (await get<{ state: string }>('/v1/status')).state,
        root: (await get<{ cert_pem: string }>('/v1/pki/pki/root')).cert_pem,
        issuers: (await get<{ issuers: { name: string }[] }>('/v1/pki/pki/issuers')).issuers.map((i) => i.name).sort(),
        mounts: (await get<{ mounts: { name: string; type: string }[] }>('/v1/mounts')).mounts
          .map((m) => `${m.name}:${m.type}`)
          .sort(),
        rules: (await get<{ rules: MetacryptRule[] }>('/v1/policy/rules')).rules,
      };
    });
  const infraIssuer = async (): Promise<X509Certificate> => {
    const answer = await metacrypt.request<{ cert_pem: string }>('GET', '/v1/pki/pki/issuers/infra');
    assert.equal(answer.status, 200);
    return new X509Certificate(answer.body.cert_pem);
  };
  const leafOf = (name: string): string => readFileSync(join(dir, name, 'certs', 'cert.pem'), 'utf8');
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
    assertServicesBuilt(required);
    root = mkdtempSync(join(tmpdir(), 'mc-real-'));
    dir = join(root, 'platform');
  });
  after(async () => {
    mcias?.close();
    metacrypt?.close();
    // Only does something when a test failed while the platform ran.
    await mc('down', '--dir', dir).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  test('up --detach starts MCIAS, MCAT and Metacrypt healthy and lists the other services as not built yet', async () => {
    const { stdout } = await mc('up', '--detach', '--dir', dir);
    for (const name of running) {
      assert.match(stdout, new RegExp(`^starting ${name}\\.\\.\\. healthy \\(\\d+\\.\\ds\\)$`, 'm'));
    }
    assert.match(stdout, /^mcias\s+running\s+\d+\s+rest https:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(stdout, /^mcat\s+running\s+\d+\s+web https:\/\/127\.0\.0\.1:\d+\/$/m);
    assert.match(stdout, /^metacrypt\s+running\s+\d+\s+rest https:\/\/127\.0\.0\.1:\d+$/m);
    for (const name of notBuilt) {
      assert.match(stdout, new RegExp(`^${name}: not built yet$`, 'm'));
      assert.match(stdout, new RegExp(`^${name}\\s+not built yet\\s+-$`, 'm'));
    }
    assert.match(stdout, /The platform runs in the background \(supervisor pid \d+\)/);

    file = readPlatformFile(join(dir, 'platform.json')) ?? assert.fail('no platform.json');
    assert.deepEqual(Object.keys(file.services), allServices);
    const entry = file.services['mcias'] ?? assert.fail('no mcias entry');
    assert.equal(entry.state, 'running');
    assert.equal(typeof entry.pid, 'number');
    assert.match(String(entry['rest']), /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(String(entry['grpc']), /^127\.0\.0\.1:\d+$/);
    assert.equal(entry['jwks'], `${String(entry['rest'])}/.well-known/jwks.json`);
    assert.equal(entry['web'], `${String(entry['rest'])}/`);
    assert.equal(entry.health, `${String(entry['rest'])}/v1/health`);
    assert.equal(file.services['mcat']?.state, 'running');
    assert.match(String(file.services['mcat']?.['web']), /^https:\/\/127\.0\.0\.1:\d+\/$/);
    for (const name of notBuilt) assert.deepEqual(file.services[name], { state: 'not_built', pid: null });
    assert.deepEqual(file.admin, { username: 'admin', password_file: join(dir, 'secrets', 'admin.password') });
    assert.deepEqual(
      file.system_tokens,
      Object.fromEntries(systemAccounts.map((name) => [name, join(dir, 'secrets', `${name}.token`)])),
    );
    connect();
    first = readSecrets();
  });

  test('secrets are 0600 in a 0700 folder, and neither platform.json nor any log holds one', () => {
    assert.equal(modeOf(join(dir, 'secrets')), 0o700);
    for (const name of readdirSync(join(dir, 'secrets'))) assert.equal(modeOf(join(dir, 'secrets', name)), 0o600, name);
    assert.match(first.masterKey, /^[0-9a-f]{64}$/);
    assert.match(first.metacryptPassword, /^[A-Za-z0-9_-]{43}$/);
    const secrets = [first.password, first.masterKey, first.metacryptPassword, ...Object.values(first.tokens)];
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

  test('status --json shows every built service running and healthy, and the token files', async () => {
    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.equal(status.running, true);
    for (const name of running) {
      assert.deepEqual([status.services[name]?.state, status.services[name]?.healthy], ['running', true], name);
    }
    assert.deepEqual(status.system_tokens, file.system_tokens);
  });

  test('Metacrypt is unsealed with the pki (seed root, three issuers), ssh and transit mounts and the mcp-agent rule', async () => {
    const now = await metacryptState();
    assert.equal(now.state, 'unsealed');
    assert.deepEqual(now.mounts, ['pki:ca', 'ssh:sshca', 'transit:transit']);
    assert.equal(new X509Certificate(now.root).fingerprint256, new X509Certificate(first.caPem).fingerprint256);
    assert.deepEqual(now.issuers, ['clients', 'infra', 'services']);
    assert.deepEqual(
      now.rules.map((rule) => rule.name),
      ['mcp-agent internal certs'],
    );
    const rest = String(file.services['metacrypt']?.['rest']);
    const ports = JSON.parse(readFileSync(join(dir, 'ports.json'), 'utf8')) as Record<string, Record<string, number>>;
    const { state, pid, health, config, data_dir, log, ...endpoints } = file.services['metacrypt'] ?? assert.fail();
    assert.deepEqual(
      [state, typeof pid, health, config, data_dir, log],
      [
        'running',
        'number',
        `${rest}/v1/health`,
        join(dir, 'metacrypt', 'metacrypt.toml'),
        join(dir, 'metacrypt'),
        join(dir, 'logs', 'metacrypt.log'),
      ],
    );
    assert.deepEqual(endpoints, {
      rest,
      grpc: `127.0.0.1:${ports['metacrypt']?.['grpc']}`,
      web: `https://127.0.0.1:${ports['metacrypt']?.['web']}`,
      acme_directory: `${rest}/acme/pki/directory`,
      acme_http01_port: ports['metacrypt']?.['acme_http01'],
      pki_mount: 'pki',
      ssh_mount: 'ssh',
      transit_mount: 'transit',
    });
    // ACME resolves DNS-01 through MCNS when MCNS runs, and validates HTTP-01 on its own port.
    const toml = readFileSync(join(dir, 'metacrypt', 'metacrypt.toml'), 'utf8');
    const dns = ports['mcns']?.['dns'];
    if (running.includes('mcns')) assert.match(toml, new RegExp(`^dns_resolver = "127\\.0\\.0\\.1:${dns}"$`, 'm'));
    else assert.doesNotMatch(toml, /dns_resolver/);
    assert.match(toml, new RegExp(`^http01_port = ${ports['metacrypt']?.['acme_http01']}$`, 'm'));
  });

  test('MCNS serves the platform zones with a record per running service, and platform.json says where', (t) => {
    if (!running.includes('mcns')) {
      t.skip('mcns is not built');
      return;
    }
    const dig = interopTool('dig');
    if (dig.path === undefined) {
      t.skip(dig.skip);
      return;
    }
    const entry = file.services['mcns'] ?? assert.fail('no services.mcns');
    assert.match(String(entry['dns']), /^127\.0\.0\.1:\d+$/);
    assert.match(String(entry['rest']), /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(String(entry['grpc']), /^127\.0\.0\.1:\d+$/);
    assert.deepEqual(entry['zones'], [`svc.mcp.${domain}`, `mcp.${domain}`]);
    const [host, port] = String(entry['dns']).split(':') as [string, string];
    for (const name of running) {
      const answer: SpawnSyncReturns<string> = spawnSync(
        dig.path,
        [`@${host}`, '-p', port, '+short', `${name}.svc.mcp.${domain}`, 'A'],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(answer.stdout.trim(), '127.0.0.1', `${name}: ${answer.stdout}${answer.stderr}`);
    }
  });

  test('MCIAS, MCAT and Metacrypt run on seed leaves; every later service on a leaf from the infra issuer', async () => {
    const seed = new X509Certificate(first.caPem);
    const infra = await infraIssuer();
    assert.ok(infra.checkIssued(seed) && infra.verify(seed.publicKey), 'the infra issuer is signed by the seed root');
    for (const name of required) assert.ok(new X509Certificate(leafOf(name)).checkIssued(seed), name);
    for (const name of afterMetacrypt) {
      const leaf = new X509Certificate(leafOf(name));
      assert.ok(leaf.checkIssued(infra) && leaf.verify(infra.publicKey), `${name}'s leaf is from Metacrypt`);
      assert.equal(leaf.subject, `CN=${name}.svc.mcp.${domain}`);
    }
  });

  test(
    'openssl verifies the infra issuer and the later leaves against the seed root',
    { skip: openssl.skip ?? false },
    async () => {
      const ca = join(dir, 'pki', 'ca.pem');
      const issuerFile = join(root, 'infra.pem');
      writeFileSync(issuerFile, (await infraIssuer()).toString());
      const verify = (...args: string[]): string => {
        const result = spawnSync(String(openssl.path), ['verify', '-CAfile', ca, ...args], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(result.status, 0, result.stderr);
        return result.stdout.trim();
      };
      assert.equal(verify(issuerFile), `${issuerFile}: OK`);
      for (const name of afterMetacrypt) {
        const cert = join(dir, name, 'certs', 'cert.pem');
        assert.equal(verify('-untrusted', issuerFile, '-purpose', 'sslserver', cert), `${cert}: OK`);
      }
    },
  );

  test('the mcp-agent token issues for a name under svc.mcp.<domain>, never for other names or wildcards', async () => {
    const token = first.tokens['mcp-agent'] ?? assert.fail('no mcp-agent token');
    const issue = (name: string): Promise<{ status: number; body: { cert_pem?: string; key_pem?: string; error?: string } }> =>
      metacrypt.request('POST', '/v1/pki/pki/issue', { token, body: { issuer: 'infra', common_name: name } });
    const good = await issue(`x.svc.mcp.${domain}`);
    assert.equal(good.status, 200, good.body.error);
    const leaf = new X509Certificate(good.body.cert_pem ?? '');
    assert.ok(leaf.checkIssued(await infraIssuer()));
    assert.equal(leaf.subjectAltName, `DNS:x.svc.mcp.${domain}`);
    assert.match(good.body.key_pem ?? '', /BEGIN PRIVATE KEY/);
    for (const name of ['example.com', `*.svc.mcp.${domain}`, `a.b.svc.mcp.${domain}`]) {
      const refused = await issue(name);
      assert.equal(refused.status, 403, name);
      assert.equal(refused.body.cert_pem, undefined);
    }
  });

  test('down leaves no process; a second up reuses the CA, the admin, the master key, the tokens and Metacrypt', async () => {
    const metacryptBefore = await metacryptState();
    const leavesBefore = afterMetacrypt.map(leafOf);
    const before = platformPids();
    await mc('down', '--dir', dir);
    for (const pid of before) assert.ok(isGone(pid), `pid ${pid} is gone after mc down`);

    await mc('up', '--detach', '--dir', dir);
    connect();
    const again = readSecrets();
    assert.deepEqual(again, first, 'same CA, password, master key, Metacrypt password and token files');
    // Metacrypt came back sealed and was unsealed; nothing in it was created twice.
    assert.deepEqual(await metacryptState(), metacryptBefore);
    assert.deepEqual(afterMetacrypt.map(leafOf), leavesBefore, 'the leaves Metacrypt issued are kept');
    const metacryptLog = readFileSync(join(dir, 'logs', 'metacrypt.log'), 'utf8');
    assert.equal(metacryptLog.match(/metacrypt initialized/g)?.length, 1, 'Metacrypt is initialized once');
    assert.equal(metacryptLog.match(/"msg":"metacrypt unsealed"/g)?.length, 1, 'and unsealed by the second run');
    const initRuns = readFileSync(join(dir, 'logs', 'mcias.log'), 'utf8').match(/--- mc: mcias init/g) ?? [];
    assert.equal(initRuns.length, 1, 'the admin is created once, by the first run');
    assert.equal((await adminLogin()).username, 'admin');
    for (const name of systemAccounts) assert.equal((await validate(again.tokens[name] ?? '')).username, name);

    const status = JSON.parse((await mc('status', '--json', '--dir', dir)).stdout) as PlatformStatus;
    assert.deepEqual(
      running.map((name) => status.services[name]?.healthy),
      running.map(() => true),
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
      running.map(() => 'stopped'),
    );
  });
});
