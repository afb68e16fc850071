import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { locateServiceEntry } from './locate-service.js';
import { serviceDefinitions } from './service-definitions.js';

const root = mkdtempSync(join(tmpdir(), 'mc-locate-'));
after(() => rmSync(root, { recursive: true, force: true }));

const [mcias] = serviceDefinitions;

test('a service is built when its package is installed and its compiled CLI exists', () => {
  assert.ok(mcias !== undefined);
  const pkg = join(root, 'node_modules', '@metacircular', 'mcias');
  mkdirSync(join(pkg, 'dist', 'src', 'cli'), { recursive: true });
  // "exports" without ./package.json must not hide the package.
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: '@metacircular/mcias',
      exports: { '.': './dist/src/index.js' },
      bin: { mcias: './bin/mcias.js' },
    }),
  );
  // The committed bin stub exists before the package is compiled; it must not count as built.
  mkdirSync(join(pkg, 'bin'));
  writeFileSync(join(pkg, 'bin', 'mcias.js'), "import '../dist/src/cli/mcias.js';");
  const from = join(root, 'deep', 'er');
  mkdirSync(from, { recursive: true });
  assert.equal(locateServiceEntry(mcias, from), undefined, 'not compiled yet');
  writeFileSync(join(pkg, 'dist', 'src', 'cli', 'mcias.js'), '');
  assert.equal(locateServiceEntry(mcias, from), join(pkg, 'dist', 'src', 'cli', 'mcias.js'));
  assert.equal(locateServiceEntry({ ...mcias, bin: 'other' }, from), undefined, 'no compiled CLI of that name');
});

test('an explicit entry is used as is, when it exists', () => {
  assert.ok(mcias !== undefined);
  const entry = join(root, 'entry.js');
  assert.equal(locateServiceEntry({ ...mcias, entry }), undefined);
  writeFileSync(entry, '');
  assert.equal(locateServiceEntry({ ...mcias, entry }), entry);
});
