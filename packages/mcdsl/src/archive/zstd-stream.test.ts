import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { McError } from '../errors/index.js';
import { hasZlibZstd, zstdCompressStream, zstdDecompressStream } from './zstd-stream.js';
import type { ZstdOptions } from './zstd-stream.js';

const haveCli = spawnSync('zstd', ['--version']).status === 0;
if (!haveCli && process.env.MC_REQUIRE_INTEROP === '1')
  throw new Error('MC_REQUIRE_INTEROP=1 but the zstd program is not installed');
const cliSkip = haveCli ? false : 'the zstd program is not installed (apt-get install zstd)';
const zlibSkip = hasZlibZstd() ? false : `node ${process.version} has no zstd in zlib`;
if (cliSkip !== false) console.log(`skipping zstd CLI tests: ${cliSkip}`);
if (zlibSkip !== false) console.log(`skipping zlib zstd tests: ${zlibSkip}`);

async function run(stream: NodeJS.ReadWriteStream, input: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // Feed in small pieces so backpressure and many writes are exercised.
  const pieces = Array.from({ length: Math.ceil(input.length / 65536) }, (_, i) => input.subarray(i * 65536, (i + 1) * 65536));
  await pipeline(
    Readable.from(pieces),
    stream,
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(chunks);
}

// Compressible but not trivial: repeated random blocks, 3 MiB.
const block = randomBytes(4096);
const data = Buffer.concat([...Array.from({ length: 700 }, () => block), randomBytes(300 * 1024)]);

for (const [label, options, skip] of [
  ['zstd program', { implementation: 'cli' }, cliSkip],
  ['node:zlib', { implementation: 'zlib' }, zlibSkip],
] as [string, ZstdOptions, string | false][]) {
  describe(`zstd via ${label}`, { skip }, () => {
    it('round-trips data and actually compresses it', async () => {
      const compressed = await run(zstdCompressStream(options), data);
      assert.ok(compressed.length < data.length / 2, `${compressed.length} vs ${data.length}`);
      assert.deepEqual(compressed.subarray(0, 4), Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), 'zstd frame magic');
      const restored = await run(zstdDecompressStream(options), compressed);
      assert.ok(restored.equals(data));
    });

    it('fails on input that is not zstd instead of returning nothing', async () => {
      await assert.rejects(run(zstdDecompressStream(options), Buffer.from('this is not zstd at all')));
    });
  });
}

describe('zstd program missing', () => {
  it('says to install the zstd package', async () => {
    await assert.rejects(
      run(zstdCompressStream({ implementation: 'cli', command: 'zstd-not-installed-here' }), Buffer.from('x')),
      (err: unknown) => {
        assert.ok(err instanceof McError);
        assert.equal(err.code, 'ERR_ZSTD_MISSING');
        assert.match(err.message, /install the zstd package/);
        return true;
      },
    );
  });
});
