import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConflictError } from '@metacircular/mcdsl';
import { acquirePidFile, readPidFile } from './pid-file.js';
import { identityOf, isProcessAlive, isSameProcess, processStartTime } from './process-identity.js';

const dir = mkdtempSync(join(tmpdir(), 'mc-pid-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(child.pid !== undefined);
  return child.pid;
}

test('a pid file records this process and is removed on release', () => {
  const path = join(dir, 'a.pid');
  const held = acquirePidFile(path, () => 'busy');
  assert.equal(readPidFile(path)?.pid, process.pid);
  assert.deepEqual(readPidFile(path), identityOf(process.pid));
  assert.throws(
    () => acquirePidFile(path, (pid) => `busy: ${pid}`),
    (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.equal(err.message, `busy: ${process.pid}`);
      return true;
    },
  );
  held.release();
  assert.equal(existsSync(path), false);
});

test('a stale pid file (process gone, or garbage) is taken over', async () => {
  const path = join(dir, 'b.pid');
  writeFileSync(path, `${await deadPid()}\n`);
  acquirePidFile(path, () => 'busy').release();
  writeFileSync(path, 'not a pid');
  acquirePidFile(path, () => 'busy').release();
});

test('a live pid with another start time is a reused pid, not the recorded process', () => {
  const path = join(dir, 'c.pid');
  if (processStartTime(process.pid) === undefined) return; // no /proc: start times are unknown
  writeFileSync(path, `${process.pid}\n1\n`);
  assert.equal(isSameProcess({ pid: process.pid, start: '1' }), false);
  const held = acquirePidFile(path, () => 'busy');
  assert.match(readFileSync(path, 'utf8'), new RegExp(`^${process.pid}\\n\\d+\\n$`));
  held.release();
});

test('isProcessAlive tells running processes from finished ones', async () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(await deadPid()), false);
});
