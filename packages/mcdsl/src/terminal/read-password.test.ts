import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { McError } from '../errors/index.js';
import { readPassword, readPasswordFile, readPasswordFromStdin } from './index.js';

// A stand-in terminal for the key handling; test/terminal-pty.test.ts runs the real thing.
class FakeTerminal extends PassThrough {
  isTTY = true;
  isRaw = false;
  readonly modes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.modes.push(mode);
    this.isRaw = mode;
    return this;
  }
}

function terminal(): { input: FakeTerminal; output: PassThrough; written: () => string } {
  const input = new FakeTerminal();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { input, output, written: () => Buffer.concat(chunks).toString('utf8') };
}

const asTty = (s: PassThrough): NodeJS.ReadStream => s as unknown as NodeJS.ReadStream;
const asOut = (s: PassThrough): NodeJS.WriteStream => s as unknown as NodeJS.WriteStream;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof McError, String(err));
    return err.code;
  }
  return assert.fail('expected a rejection');
}

describe('readPassword', () => {
  it('reads a line in raw mode, with backspace, Ctrl-U and escape sequences handled', async () => {
    const { input, output, written } = terminal();
    const pending = readPassword('Password: ', { input: asTty(input), output: asOut(output) });
    assert.deepEqual(input.modes, [true], 'raw mode is on before anything is read');
    input.write('junk\x15');
    input.write('pässx\x7f');
    input.write(Buffer.from('w\x1b[Dö').subarray(0, 5)); // split inside the two-byte 'ö'
    input.write(Buffer.from('w\x1b[Dö').subarray(5));
    input.write('rd\rignored after enter');
    assert.equal(await pending, 'pässwörd');
    assert.deepEqual(input.modes, [true, false], 'mode restored');
    assert.equal(written(), 'Password: \n');
  });

  it('rejects on Ctrl-C with ERR_INTERRUPTED and restores the mode', async () => {
    const { input, output } = terminal();
    const pending = readPassword('pw: ', { input: asTty(input), output: asOut(output) });
    input.write('abc\x03');
    assert.equal(await codeOf(pending), 'ERR_INTERRUPTED');
    assert.deepEqual(input.modes, [true, false]);
    assert.equal(input.listenerCount('data'), 0);
  });

  it('rejects on Ctrl-D on an empty line and on end of input', async () => {
    let t = terminal();
    let pending = readPassword('pw: ', { input: asTty(t.input), output: asOut(t.output) });
    t.input.write('\x04');
    assert.equal(await codeOf(pending), 'ERR_NO_PASSWORD');
    t = terminal();
    pending = readPassword('pw: ', { input: asTty(t.input), output: asOut(t.output) });
    t.input.end('partial');
    assert.equal(await codeOf(pending), 'ERR_NO_PASSWORD');
    assert.deepEqual(t.input.modes, [true, false]);
  });

  it('refuses a non-terminal input, pointing at --password-stdin and --password-file', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    await assert.rejects(readPassword('pw: ', { input: asTty(input), output: asOut(output) }), (err: unknown) => {
      assert.ok(err instanceof McError);
      assert.equal(err.code, 'ERR_NOT_A_TERMINAL');
      assert.match(err.message, /--password-stdin or --password-file/);
      return true;
    });
    assert.equal(output.read(), null, 'no prompt written');
  });
});

describe('readPasswordFromStdin', () => {
  it('reads everything and strips one trailing newline', async () => {
    const read = (text: string): Promise<string> => {
      const input = new PassThrough();
      input.end(text);
      return readPasswordFromStdin(input);
    };
    assert.equal(await read('s3cret\n'), 's3cret');
    assert.equal(await read('s3cret\r\n'), 's3cret');
    assert.equal(await read('two\n\n'), 'two\n');
    assert.equal(await read(' spaces kept '), ' spaces kept ');
    assert.equal(await codeOf(read('\n')), 'ERR_NO_PASSWORD');
  });

  it('refuses a terminal', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    assert.equal(await codeOf(readPasswordFromStdin(input)), 'ERR_STDIN_IS_TERMINAL');
  });
});

describe('readPasswordFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcdsl-pwfile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string, mode: number): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  };

  it('reads an owner-only or group-readable file, stripping one newline', async () => {
    assert.equal(await readPasswordFile(file('a', 'pw\n', 0o600)), 'pw');
    assert.equal(await readPasswordFile(file('b', 'pw', 0o640)), 'pw');
  });

  it('refuses files other users can access, missing files, directories and empty files', async () => {
    await assert.rejects(readPasswordFile(file('c', 'pw\n', 0o644)), /mode 0644\); run chmod 600/);
    assert.equal(await codeOf(readPasswordFile(file('d', 'pw\n', 0o602))), 'ERR_PASSWORD_FILE_MODE');
    await assert.rejects(readPasswordFile(join(dir, 'missing')), /password file .*missing: not found/);
    assert.equal(await codeOf(readPasswordFile(dir)), 'ERR_PASSWORD_FILE');
    assert.equal(await codeOf(readPasswordFile(file('e', '\n', 0o600))), 'ERR_NO_PASSWORD');
  });
});
