// mciasctl's password prompts under a real pseudo-terminal: util-linux `script` gives the CLI a
// pty whose echo is ON (our stdin is a pipe, so `script` keeps the slave's ECHO), so any
// character mciasctl failed to hide would appear in the captured output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestMcias, type TestMcias } from '../src/testing.js';
import { assertBuilt, mciasctlPath } from './mciasctl-run.js';

const requireInterop = process.env.MC_REQUIRE_INTEROP === '1';
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = haveScript ? false : 'util-linux `script` is not installed (apt-get install util-linux)';
if (skip !== false) {
  if (requireInterop) throw new Error(`MC_REQUIRE_INTEROP=1 but ${skip}`);
  console.log(`skipping mciasctl pty tests: ${skip}`);
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * underPty runs mciasctl under `script`; each time the next expected prompt shows up in the
 * output, it types that prompt's keys. It returns everything the terminal showed.
 */
function underPty(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  dialog: readonly [prompt: string, keys: string][],
): Promise<{ output: string; code: number | null }> {
  const command = [process.execPath, mciasctlPath, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let step = 0;
  let seenUpTo = 0;
  return new Promise((resolve, reject) => {
    // A hung child must fail the test rather than hang it; this is not a readiness wait.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no result from mciasctl under a pty; output so far: ${JSON.stringify(output)}`));
    }, 60_000);
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // The prompt is written after echo is turned off, so typing once it shows is safe.
      const next = dialog[step];
      if (next) {
        const at = output.indexOf(next[0], seenUpTo);
        if (at >= 0) {
          seenUpTo = at + next[0].length;
          step += 1;
          child.stdin.write(next[1]);
        }
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      child.stdin.destroy();
      resolve({ output, code });
    });
  });
}

describe('mciasctl prompts under a real pty', { skip }, () => {
  let m: TestMcias;
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    assertBuilt();
    m = await startTestMcias({ admin: { username: 'admin', password: 'Adm1n-pty-secret' } });
    home = await mkdtemp(join(tmpdir(), 'mciasctl-pty-'));
    env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), MCIAS_SERVER: m.restUrl, MCIAS_CACERT: m.pki.caPath };
  });
  after(async () => {
    await m?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('`mciasctl login` reads the password without echoing it', async () => {
    const { output, code } = await underPty(['login', 'admin'], env, [['Password: ', 'Adm1n-pty-secret\r']]);
    assert.equal(code, 0, output);
    assert.ok(output.includes('Password: '), output);
    assert.ok(!output.includes('Adm1n-pty-secret'), `password echoed: ${JSON.stringify(output)}`);
    assert.ok(!output.includes('Adm1n'), output);
    assert.match(output, /logged in as admin until /);
    const token = (await readFile(join(home, 'config', 'mciasctl', 'token'), 'utf8')).trim();
    assert.match(token, /^eyJ/);
    assert.ok(!output.includes(token), 'the token is not shown either');
    assert.equal((await stat(join(home, 'config', 'mciasctl', 'token'))).mode & 0o777, 0o600);
  });

  it('`mciasctl account create` asks for a new password twice, without echo, and refuses a mismatch', async () => {
    const created = await underPty(['account', 'create', 'bob', '--type', 'human'], env, [
      ['New password: ', 'Bob-pty-password-1\r'],
      ['New password (again): ', 'Bob-pty-password-1\r'],
    ]);
    assert.equal(created.code, 0, created.output);
    assert.ok(!created.output.includes('Bob-pty'), created.output);
    assert.match(created.output, /Username +bob/);
    await m.login('bob', 'Bob-pty-password-1');

    const mismatch = await underPty(['account', 'create', 'carol', '--type', 'human'], env, [
      ['New password: ', 'Carol-pty-password-1\r'],
      ['New password (again): ', 'Carol-pty-password-2\r'],
    ]);
    assert.equal(mismatch.code, 1, mismatch.output);
    assert.match(mismatch.output, /the two new passwords differ; nothing was changed/);
    assert.ok(!mismatch.output.includes('Carol-pty'), mismatch.output);
  });

  it('exits 130 on Ctrl-C at the prompt', async () => {
    const { output, code } = await underPty(['login', 'admin'], env, [['Password: ', 'abc\x03']]);
    assert.equal(code, 130, output);
    assert.ok(!output.includes('abc'), output);
  });
});
