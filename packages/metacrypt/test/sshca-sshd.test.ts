// Acceptance: a real sshd on loopback trusts Metacrypt's user CA (TrustedUserCAKeys from the
// public /ca endpoint) and accepts a login with a certificate Metacrypt signed for a non-admin
// caller; once the certificate is revoked and the KRL from the public /krl endpoint is written to
// sshd's RevokedKeys file, the same login is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { interopTool } from '@metacircular/mcdsl/testing';
import { sshcaModule } from '../src/engines/sshca/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

const tools = { sshd: interopTool('sshd'), ssh: interopTool('ssh'), keygen: interopTool('ssh-keygen') };
const skip = tools.sshd.skip ?? tools.ssh.skip ?? tools.keygen.skip;
const login = userInfo().username;

function run(file: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

function download(mc: TestMetacrypt, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(`${mc.restUrl}${path}`, { ca: mc.caCert, minVersion: 'TLSv1.3' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${path}: ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** startSshd runs sshd in the foreground and resolves once it logs "Server listening" (or rejects when it exits first) */
function startSshd(config: string): Promise<{ child: ChildProcess; log: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tools.sshd.path ?? 'sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`sshd did not start listening within 20s:\n${log}`));
    }, 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (/Server listening on 127\.0\.0\.1 port \d+/.test(log)) {
        clearTimeout(timer);
        resolve({ child, log: () => log });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code} before listening:\n${log}`));
    });
  });
}

describe('sshd accepts Metacrypt user certificates until the KRL revokes them', { skip }, () => {
  let mc: TestMetacrypt;
  let dir: string;
  let sshd: { child: ChildProcess; log: () => string } | undefined;
  let port: number;
  let alice: string;
  const files = {} as Record<'key' | 'cert' | 'ca' | 'krl' | 'hostKey' | 'config', string>;

  const ssh = (cert = files.cert) =>
    run(tools.ssh.path ?? 'ssh', [
      '-F',
      '/dev/null',
      '-i',
      files.key,
      '-o',
      `CertificateFile=${cert}`,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'IdentityAgent=none',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-p',
      String(port),
      `${login}@127.0.0.1`,
      'true',
    ]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sshca-sshd-'));
    Object.assign(files, {
      key: join(dir, 'id_ed25519'),
      cert: join(dir, 'id_ed25519-cert.pub'),
      ca: join(dir, 'user_ca.pub'),
      krl: join(dir, 'revoked.krl'),
      hostKey: join(dir, 'host_ed25519'),
      config: join(dir, 'sshd_config'),
    });
    mc = await startTestMetacrypt({
      mounts: [{ name: 'ssh', type: 'sshca', config: {} }],
      modules: [sshcaModule],
      logLevel: 'info',
    });
    const profile = await mc.request('POST', '/v1/sshca/ssh/profiles', {
      token: mc.adminToken,
      body: { name: 'login', cert_type: 'user', allowed_principals: [login], extensions: ['permit-pty'] },
    });
    assert.equal(profile.status, 200, profile.body);
    alice = await mc.token('alice', { roles: ['user'] });
    const rule = await mc.request('POST', '/v1/policy/rules', {
      token: mc.adminToken,
      body: {
        name: 'alice ssh login',
        priority: 10,
        effect: 'allow',
        usernames: ['alice'],
        resources: ['sshca/ssh/profile/login'],
        actions: ['sign-user'],
      },
    });
    assert.equal(rule.status, 200, rule.body);

    for (const key of [files.key, files.hostKey]) {
      const made = await run(tools.keygen.path ?? 'ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      assert.equal(made.status, 0, made.stderr);
    }
    writeFileSync(files.ca, await download(mc, '/v1/sshca/ssh/ca?type=user'));
    writeFileSync(files.krl, await download(mc, '/v1/sshca/ssh/krl'));
    port = await freePort();
    writeFileSync(
      files.config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${files.hostKey}`,
        `TrustedUserCAKeys ${files.ca}`,
        `RevokedKeys ${files.krl}`,
        'AuthorizedKeysFile none',
        // no principals file: the certificate must name the login user itself
        'AuthorizedPrincipalsFile none',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        `PidFile ${join(dir, 'sshd.pid')}`,
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    // sshd refuses to start without its privilege-separation directory.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    sshd = await startSshd(files.config);
  });

  after(async () => {
    if (sshd && sshd.child.exitCode === null) {
      const exited = new Promise((resolve) => sshd?.child.once('exit', resolve));
      sshd.child.kill('SIGTERM');
      await exited;
    }
    await mc?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the certificate, refuses a wrong principal, and refuses the certificate once revoked', async () => {
    const sign = (principals: string[]) =>
      mc.request('POST', '/v1/sshca/ssh/sign/user', {
        token: alice,
        body: { profile: 'login', public_key: readFileSync(`${files.key}.pub`, 'utf8'), principals, ttl: '10m' },
      });
    const signed = await sign([login]);
    assert.equal(signed.status, 200, signed.body);
    const { serial, certificate } = signed.json<{ serial: string; certificate: string }>();
    writeFileSync(files.cert, certificate + '\n');

    const accepted = await ssh();
    assert.equal(accepted.status, 0, `ssh failed:\n${accepted.stderr}\nsshd:\n${sshd?.log()}`);
    assert.match(
      sshd?.log() ?? '',
      new RegExp(`Accepted publickey for ${login} from 127\\.0\\.0\\.1 .*ID alice@metacrypt:${serial} \\(serial ${serial}\\)`),
    );

    // a certificate for alice's own name does not let her in as another user
    const aliceOnly = await sign(['alice']);
    assert.equal(aliceOnly.status, 200, aliceOnly.body);
    const aliceCert = join(dir, 'alice-cert.pub');
    writeFileSync(aliceCert, aliceOnly.json<{ certificate: string }>().certificate + '\n');
    assert.notEqual((await ssh(aliceCert)).status, 0);

    const revoked = await mc.request('POST', '/v1/sshca/ssh/revoke', { token: mc.adminToken, body: { serial } });
    assert.equal(revoked.status, 200, revoked.body);
    writeFileSync(files.krl, await download(mc, '/v1/sshca/ssh/krl'));
    const refused = await ssh();
    assert.notEqual(refused.status, 0, 'login must fail once the KRL lists the certificate');
    assert.match(sshd?.log() ?? '', /revoked by file/);
  });
});
