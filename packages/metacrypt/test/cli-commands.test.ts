// The `metacrypt` binary as an operator runs it, as a child process against a real server:
// status --json (uninitialized, exit 2), init and unseal with --password-file, seal with an
// admin --token-file, loose password files refused, snapshot into backups/, and --help.
// Runs the compiled CLI (dist) or, from source, the .ts through tsx.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

const compiled = fileURLToPath(new URL('../src/cli/metacrypt.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli/metacrypt.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Asynchronous on purpose: the server under test runs in this process and must keep answering.
function metacrypt(args: string[]): Promise<Run> {
  const argv = existsSync(compiled) ? [compiled, ...args] : ['--import', 'tsx', source, ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { encoding: 'utf8', timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('metacrypt CLI', () => {
  let mc: TestMetacrypt;
  let target: string[];
  let passwordFile: string;

  before(async () => {
    mc = await startTestMetacrypt({ sealed: true });
    target = ['--addr', mc.restUrl, '--ca-cert', mc.caPath];
    passwordFile = join(mc.dir, 'password');
    await writeFile(passwordFile, `${mc.password}\n`, { mode: 0o600 });
  });
  after(() => mc?.stop());

  it('status --json reports an uninitialized server with exit code 2', async () => {
    const run = await metacrypt(['status', '--json', ...target]);
    assert.equal(run.code, 2, run.stderr);
    const report = JSON.parse(run.stdout) as { state: string; health: string; version: string };
    assert.equal(report.state, 'uninitialized');
    assert.equal(report.health, 'ok');
  });

  it('refuses a password file other users can read, and changes nothing', async () => {
    const loose = join(mc.dir, 'loose-password');
    await writeFile(loose, mc.password, { mode: 0o644 });
    const run = await metacrypt(['init', '--password-file', loose, ...target]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /accessible by other users.*chmod 600/);
    assert.equal((await mc.request('GET', '/v1/status')).json<{ state: string }>().state, 'uninitialized');
  });

  it('init --password-file initializes and leaves the server unsealed', async () => {
    const run = await metacrypt(['init', '--password-file', passwordFile, ...target]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /initialized; state: unsealed/);
    const status = await metacrypt(['status', '--json', ...target]);
    assert.equal(status.code, 0);
    assert.equal((JSON.parse(status.stdout) as { state: string }).state, 'unsealed');
    const again = await metacrypt(['init', '--password-file', passwordFile, ...target]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /init failed \(412\): metacrypt is already initialized/);
  });

  it('seal needs an admin token file; unseal --password-file opens it again', async () => {
    const tokenFile = join(mc.dir, 'admin-token');
    await writeFile(tokenFile, mc.adminToken, { mode: 0o600 });
    const noToken = await metacrypt(['seal', ...target]);
    assert.notEqual(noToken.code, 0);
    assert.match(noToken.stderr, /--token-file/);
    const seal = await metacrypt(['seal', '--token-file', tokenFile, ...target]);
    assert.equal(seal.code, 0, seal.stderr);
    assert.match(seal.stdout, /sealed; state: sealed/);
    const text = await metacrypt(['status', ...target]);
    assert.equal(text.code, 2, text.stdout + text.stderr);
    assert.match(text.stdout, /state: +sealed/);
    const unseal = await metacrypt(['unseal', '--password-file', passwordFile, ...target]);
    assert.equal(unseal.code, 0, unseal.stderr);
    assert.match(unseal.stdout, /unsealed; state: unsealed/);
  });

  it('finds the address in --config when --addr is absent', async () => {
    const run = await metacrypt(['status', '--json', '--config', mc.configPath, '--ca-cert', mc.caPath]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
  });

  it('snapshot writes a copy of the database into backups/', async () => {
    const run = await metacrypt(['snapshot', '--config', mc.configPath]);
    assert.equal(run.code, 0, run.stderr);
    const path = run.stdout.trim();
    assert.match(path, /backups\/metacrypt-\d{8}T\d{6}Z\.db$/);
    assert.ok(readdirSync(join(mc.dir, 'backups')).length === 1);
  });

  it('reports an unreachable server with exit code 1', async () => {
    const run = await metacrypt(['status', '--addr', 'https://127.0.0.1:1', '--ca-cert', mc.caPath]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /state: +unreachable/);
  });

  it('explains itself in --help', async () => {
    const run = await metacrypt(['--help']);
    assert.equal(run.code, 0);
    for (const cmd of ['server', 'init', 'unseal', 'seal', 'status', 'snapshot'])
      assert.match(run.stdout, new RegExp(`\\b${cmd}\\b`));
    const init = await metacrypt(['init', '--help']);
    assert.match(init.stdout, /--password-file/);
    assert.match(init.stdout, /--ca-cert/);
  });
});
