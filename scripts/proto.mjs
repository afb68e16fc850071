#!/usr/bin/env node
// Regenerates packages/proto/src/gen from proto/ with buf and protoc-gen-es (both run locally
// from node_modules). With --check it generates into a temporary directory instead and fails
// when the committed code differs, so CI catches a .proto edit without a regeneration.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const committed = join(root, 'packages/proto/src/gen');
const buf = join(root, 'node_modules/.bin/buf');
const check = process.argv.includes('--check');

execFileSync(buf, ['lint'], { cwd: root, stdio: 'inherit' });

if (!check) {
  rmSync(committed, { recursive: true, force: true });
  execFileSync(buf, ['generate'], { cwd: root, stdio: 'inherit' });
  console.log(`proto: generated ${listFiles(committed).length} files in ${relative(root, committed)}`);
  process.exit(0);
}

const out = mkdtempSync(join(tmpdir(), 'mc-proto-'));
try {
  execFileSync(buf, ['generate', '-o', out], { cwd: root, stdio: 'inherit' });
  const fresh = join(out, 'packages/proto/src/gen');
  const want = listFiles(fresh);
  const have = existsSync(committed) ? listFiles(committed) : [];
  const problems = [];
  for (const f of want) {
    if (!have.includes(f)) problems.push(`missing: ${f}`);
    else if (readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8')) problems.push(`stale: ${f}`);
  }
  for (const f of have) if (!want.includes(f)) problems.push(`extra: ${f}`);
  if (problems.length > 0) {
    console.error(`proto: generated code is out of date; run \`npm run proto\` and commit:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`proto: ${want.length} generated files are up to date`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

function listFiles(dir, base = dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files.push(...listFiles(p, base));
    else files.push(relative(base, p));
  }
  return files.sort();
}
