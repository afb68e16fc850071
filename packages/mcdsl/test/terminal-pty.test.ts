import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// readPassword under a real pseudo-terminal: util-linux `script` gives the child a pty whose
// echo is ON (stdin here is a pipe, so `script --echo auto` keeps the slave's ECHO), so any
// character readPassword failed to hide would appear in the captured output.

const requireInterop = process.env.MC_REQUIRE_INTEROP === '1';
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = haveScript ? false : 'util-linux `script` is not installed (apt-get install util-linux)';
if (skip !== false) {
  if (requireInterop) throw new Error(`MC_REQUIRE_INTEROP=1 but ${skip}`);
  console.log(`skipping pty tests: ${skip}`);
}

// Run from source (tsx) or compiled (dist): import the module the same way this file was.
const fromSource = import.meta.url.endsWith('.ts');
const moduleUrl = new URL(`../src/terminal/index.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
const nodeArgs = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];

const childSource = `
import { execFileSync } from 'node:child_process';
import { readPassword } from ${JSON.stringify(moduleUrl)};
try {
  const pw = await readPassword('Password: ');
  // Read the terminal's settings back with stty: echo and canonical mode must be restored.
  const stty = execFileSync('stty', ['-a'], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' });
  const on = (flag) => new RegExp('(^|\\\\s)' + flag + '(\\\\s|;|$)', 'm').test(stty);
  process.stdout.write('got:' + pw.length + ' echo:' + (on('echo') ? 'on' : 'off') + ' icanon:' + (on('icanon') ? 'on' : 'off') + '\\n');
  // No process.exit here: the child must end on its own, which it cannot if readPassword left
  // stdin flowing (a CLI would then hang after its prompt).
} catch (err) {
  process.stdout.write('err:' + err.code + '\\n');
  process.exit(err.code === 'ERR_INTERRUPTED' ? 130 : 1);
}
`;

let dir: string;
let childPath: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcdsl-pty-'));
  childPath = join(dir, 'prompt.mjs');
  writeFileSync(childPath, childSource);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** runUnderPty starts the child under `script`, types `keys` once the prompt shows, and returns everything the terminal showed. */
function runUnderPty(keys: string): Promise<{ output: string; code: number | null }> {
  const command = [process.execPath, ...nodeArgs, childPath].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let typed = false;
  return new Promise((resolve, reject) => {
    // A hung child must fail the test rather than hang it; this is not a readiness wait.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no result from the pty child; output so far: ${JSON.stringify(output)}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // readPassword turns echo off before it prints the prompt, so typing after it is safe.
      if (!typed && output.includes('Password: ')) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      child.stdin.destroy();
      resolve({ output, code });
    });
  });
}

describe('readPassword under a real pty', { skip, timeout: 60_000 }, () => {
  it('does not echo the password, shows the prompt, and restores the terminal', async () => {
    const password = 'hunter2-Zq9';
    const { output, code } = await runUnderPty(`${password}\r`);
    assert.equal(code, 0, output);
    assert.ok(output.includes('Password: '), output);
    assert.ok(!output.includes(password), `password echoed: ${JSON.stringify(output)}`);
    assert.ok(!output.includes('hunter'), output);
    assert.match(output, new RegExp(`got:${password.length} echo:on icanon:on`));
  });

  it('handles backspace without echoing what was erased', async () => {
    const { output, code } = await runUnderPty('topsecretX\x7f\r');
    assert.equal(code, 0, output);
    assert.match(output, /got:9 /);
    assert.ok(!output.includes('topsecret'), output);
  });

  it('exits 130 on Ctrl-C', async () => {
    const { output, code } = await runUnderPty('abc\x03');
    assert.equal(code, 130, output);
    assert.match(output, /err:ERR_INTERRUPTED/);
    assert.ok(!output.includes('abc'), output);
  });
});
