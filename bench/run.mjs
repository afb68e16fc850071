#!/usr/bin/env node
// Runs every benchmark in bench/ (files named *.bench.mjs), or those whose name contains one of
// the arguments: `npm run bench -- mcias`. Each writes bench/results/<name>.json. Benchmarks
// load only loopback servers they start themselves, bounded in time and request count.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const filters = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (benches.length === 0) {
  console.error('bench: no benchmark matched');
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
