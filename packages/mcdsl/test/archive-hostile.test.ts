import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';
import type { Header } from 'tar-stream';
import { extractArchive, hasZlibZstd, zstdCompressStream } from '../src/archive/index.js';
import { McError } from '../src/errors/index.js';

// Archives are untrusted input: each one here is built by hand with tar-stream, and each must
// be refused with nothing written outside the destination and nothing left inside it.

const haveZstd = hasZlibZstd() || spawnSync('zstd', ['--version']).status === 0;
if (!haveZstd && process.env.MC_REQUIRE_INTEROP === '1') throw new Error('MC_REQUIRE_INTEROP=1 but zstd is not available');
const skip = haveZstd ? false : 'no zstd: install the zstd package (Node < 22.15 has none in zlib)';

type Entry = Partial<Header> & Pick<Header, 'name'> & { body?: string };

async function buildArchive(path: string, entries: readonly Entry[]): Promise<void> {
  const tar = pack();
  for (const { body, ...header } of entries) tar.entry(header, body ?? '');
  tar.finalize();
  const chunks: Buffer[] = [];
  await pipeline(
    tar as unknown as Readable,
    zstdCompressStream(),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  writeFileSync(path, Buffer.concat(chunks));
}

let sandbox: string;
let n = 0;
before(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'mcdsl-hostile-'));
});
after(() => rmSync(sandbox, { recursive: true, force: true }));

/** refuse builds the archive in a fresh box, extracts into box/dest, and checks nothing escaped. */
async function refuse(entries: readonly Entry[], pattern: RegExp): Promise<void> {
  const box = join(sandbox, `box-${++n}`);
  const deep = join(box, 'a', 'b');
  mkdirSync(deep, { recursive: true });
  const file = join(box, 'hostile.tar.zst');
  await buildArchive(file, entries);
  const before = listTree(box);
  await assert.rejects(extractArchive(file, join(deep, 'dest')), (err: unknown) => {
    assert.ok(err instanceof McError, String(err));
    assert.equal(err.code, 'ERR_ARCHIVE_UNSAFE', err.message);
    assert.match(err.message, pattern);
    return true;
  });
  assert.deepEqual(listTree(box), before, 'nothing written anywhere, dest removed');
  assert.ok(!existsSync('/evil-mcdsl-test') && !existsSync('/tmp/evil-mcdsl-test'));
}

function listTree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

const ok: Entry = { name: 'fine.txt', body: 'fine' };

describe('extractArchive on hostile archives', { skip }, () => {
  it('refuses ../ traversal', async () => {
    await refuse([ok, { name: '../evil', body: 'x' }], /climbs out/);
    await refuse([ok, { name: 'sub/../../evil', body: 'x' }], /climbs out/);
    await refuse([{ name: '../../../../../../../../tmp/evil-mcdsl-test', body: 'x' }], /climbs out/);
  });

  it('refuses absolute paths', async () => {
    await refuse([ok, { name: '/evil-mcdsl-test', body: 'x' }], /absolute path/);
    await refuse([{ name: '/tmp/evil-mcdsl-test', body: 'x' }], /absolute path/);
  });

  it('refuses symlinks that point outside, absolute or relative', async () => {
    await refuse([ok, { name: 'link', type: 'symlink', linkname: '../../..' }], /points outside/);
    await refuse([{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }], /absolute path/);
    await refuse([{ name: 'sub/link', type: 'symlink', linkname: '../../x' }], /points outside/);
  });

  it('refuses writing through a symlink, even one pointing inside', async () => {
    await refuse(
      [
        { name: 'dir', type: 'directory' },
        { name: 'link', type: 'symlink', linkname: 'dir' },
        { name: 'link/file', body: 'x' },
      ],
      /written through link/,
    );
    await refuse([{ name: 'same', type: 'symlink', linkname: 'fine.txt' }, ok, { name: 'same', body: 'overwrite' }], /twice/);
  });

  it('refuses symlink chains that climb out on disk though each looks inside', async () => {
    // s2 -> s1/.. is "inside" when read lexically, but s1 -> . makes it the destination's parent.
    await refuse(
      [
        { name: 's2', type: 'symlink', linkname: 's1/..' },
        { name: 's1', type: 'symlink', linkname: '.' },
      ],
      /resolves outside/,
    );
  });

  it('refuses hard links to outside or to files not in the archive', async () => {
    await refuse([ok, { name: 'hard', type: 'link', linkname: '../../../etc/passwd' }], /climbs out/);
    await refuse([{ name: 'hard', type: 'link', linkname: '/etc/passwd' }], /absolute path/);
    await refuse([{ name: 'hard', type: 'link', linkname: 'missing' }], /extracted earlier/);
  });

  it('refuses devices and FIFOs', async () => {
    await refuse([ok, { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 }], /character-device/);
    await refuse([{ name: 'disk', type: 'block-device', devmajor: 8, devminor: 0 }], /block-device/);
    await refuse([{ name: 'pipe', type: 'fifo' }], /fifo/);
  });

  it('accepts inside links and strips setuid bits', async () => {
    const file = join(sandbox, 'benign.tar.zst');
    await buildArchive(file, [
      { name: 'certs', type: 'directory', mode: 0o755 },
      { name: 'certs/cert.pem', body: 'CERT', mode: 0o4755 },
      { name: 'current', type: 'symlink', linkname: 'certs/cert.pem' },
      { name: 'certs/up', type: 'symlink', linkname: '../current' },
      { name: 'alias.pem', type: 'link', linkname: 'certs/cert.pem' },
    ]);
    const dest = join(sandbox, 'benign');
    const { entries } = await extractArchive(file, dest);
    assert.equal(entries.length, 5);
    const { statSync, readFileSync } = await import('node:fs');
    assert.equal(statSync(join(dest, 'certs', 'cert.pem')).mode & 0o7777, 0o755);
    assert.equal(readFileSync(join(dest, 'current'), 'utf8'), 'CERT');
    assert.equal(readFileSync(join(dest, 'alias.pem'), 'utf8'), 'CERT');
    assert.equal(statSync(join(dest, 'alias.pem')).ino, statSync(join(dest, 'certs', 'cert.pem')).ino);
  });

  it('reports a file that is not a tar.zst as corrupt and leaves nothing behind', async () => {
    const file = join(sandbox, 'garbage.tar.zst');
    writeFileSync(file, 'definitely not zstd');
    const dest = join(sandbox, 'garbage-dest');
    await assert.rejects(
      extractArchive(file, dest),
      (err: unknown) => err instanceof McError && err.code === 'ERR_ARCHIVE_CORRUPT',
    );
    assert.ok(!existsSync(dest));
    await assert.rejects(extractArchive(join(sandbox, 'missing.tar.zst'), dest), /not found/);
    assert.ok(!existsSync(dest));
  });
});
