import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createSecretFileOnce } from './secret-file.js';

const root = mkdtempSync(join(tmpdir(), 'mc-secret-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('createSecretFileOnce writes a 0600 file only when there is none, and leaves no temporary file', () => {
  const path = join(root, 'key');
  assert.equal(createSecretFileOnce(path, 'first\n'), true);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(createSecretFileOnce(path, 'second\n'), false);
  assert.equal(readFileSync(path, 'utf8'), 'first\n');

  // Even an empty file someone left there is kept: it is theirs to fix, not ours to replace.
  const empty = join(root, 'empty');
  writeFileSync(empty, '', { mode: 0o644 });
  assert.equal(createSecretFileOnce(empty, 'data'), false);
  assert.equal(readFileSync(empty, 'utf8'), '');
  assert.equal(statSync(empty).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(root).sort(), ['empty', 'key']);
});
