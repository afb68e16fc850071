import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, mkdtemp, readdir, readlink, rm, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack } from 'tar-stream';
import type { Header, Pack } from 'tar-stream';
import type { SqliteDatabase } from '../db/index.js';
import { snapshotDatabase } from '../db/index.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors/index.js';
import { compileExcludes, defaultExcludes } from './exclude-pattern.js';
import type { ZstdOptions } from './zstd-stream.js';
import { zstdCompressStream } from './zstd-stream.js';

/** CreateArchiveOptions says what to archive and where. */
export interface CreateArchiveOptions {
  /** the service's data directory, e.g. /srv/mcr */
  readonly dir: string;
  /** the service name; the database snapshot goes in as `<service>.db` */
  readonly service: string;
  /** the live database; without it the archive holds no database at all */
  readonly db?: SqliteDatabase;
  /** the .tar.zst to write; it must not exist yet */
  readonly out: string;
  /** patterns excluded on top of defaultExcludes (see exclude-pattern.ts) */
  readonly exclude?: readonly string[];
  readonly zstd?: ZstdOptions;
}

/** ArchiveSummary lists the entry names written, in order. */
export interface ArchiveSummary {
  readonly out: string;
  readonly entries: readonly string[];
}

/**
 * createArchive writes a service's data directory as a streaming tar.zst:
 *
 * - the live database files (`*.db`, `-wal`, `-shm`) and `backups/` are left out, with any
 *   extra patterns; when `db` is given, a `VACUUM INTO` snapshot of it, consistent while the
 *   service keeps writing, is added at the top as `<service>.db` (mode 0600);
 * - files are streamed from disk into the tar, with their modes and mtimes; symlinks are kept
 *   if they point inside the directory (one pointing outside is an error: the archive would
 *   not restore); sockets, FIFOs and devices are skipped;
 * - the output is written 0600 to a temporary name beside `out` and linked into place at the
 *   end, so `out` either does not exist or is a complete archive.
 */
export async function createArchive(options: CreateArchiveOptions): Promise<ArchiveSummary> {
  const dir = resolve(options.dir);
  const out = resolve(options.out);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.service)) {
    throw new InvalidRequestError(`service name ${JSON.stringify(options.service)} is not a plain file name`);
  }
  const dirStat = await stat(dir).catch(() => undefined);
  if (dirStat?.isDirectory() !== true) throw new NotFoundError(`data directory ${dir} does not exist`);
  if (await exists(out))
    throw new ConflictError(`archive ${out} already exists; choose a new file name`, { code: 'ERR_ARCHIVE_EXISTS' });

  await mkdir(dirname(out), { recursive: true, mode: 0o700 });
  const work = await mkdtemp(join(dirname(out), '.archive-'));
  const partial = join(work, 'archive.tar.zst');
  try {
    const snapshot = options.db === undefined ? undefined : join(work, `${options.service}.db`);
    if (options.db !== undefined && snapshot !== undefined) snapshotDatabase(options.db, snapshot);
    const skip = new Set([out, work]);
    const excluded = compileExcludes([...defaultExcludes, ...(options.exclude ?? [])]);

    const tar = tarPack();
    const written = pipeline(tar, zstdCompressStream(options.zstd), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    written.catch(() => undefined); // awaited below; this only marks an early failure handled
    const entries: string[] = [];
    try {
      if (snapshot !== undefined) {
        const info = await stat(snapshot);
        await addFile(tar, { name: `${options.service}.db`, mode: 0o600, mtime: info.mtime, size: info.size }, snapshot);
        entries.push(`${options.service}.db`);
      }
      for await (const { path, rel, info } of walk(dir, dir, skip, excluded)) {
        if (info.isDirectory()) {
          await addEntry(tar, { name: rel, type: 'directory', mode: info.mode & 0o7777, mtime: info.mtime });
        } else if (info.isFile()) {
          await addFile(tar, { name: rel, mode: info.mode & 0o7777, mtime: info.mtime, size: info.size }, path);
        } else if (info.isSymbolicLink()) {
          const target = await readlink(path);
          if (isAbsolute(target) || !isInside(dir, resolve(dirname(path), target))) {
            throw new InvalidRequestError(
              `symlink ${path} points outside ${dir} (to ${target}); archives hold only the data directory`,
            );
          }
          await addEntry(tar, { name: rel, type: 'symlink', linkname: target, mode: 0o777, mtime: info.mtime });
        } else {
          continue; // sockets, FIFOs, devices: runtime state, not data
        }
        entries.push(rel);
      }
      tar.finalize();
    } catch (err) {
      tar.destroy(err as Error);
      throw err;
    } finally {
      await written.catch(() => undefined);
    }
    await written;
    try {
      await link(partial, out);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ConflictError(`archive ${out} already exists; choose a new file name`, {
          code: 'ERR_ARCHIVE_EXISTS',
          cause: err,
        });
      }
      throw err;
    }
    await chmod(out, 0o600).catch(() => undefined);
    await unlink(partial);
    return { out, entries };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface WalkEntry {
  readonly path: string;
  readonly rel: string;
  readonly info: Stats;
}

/** walk yields the tree depth-first in name order, directories before their contents. */
async function* walk(
  root: string,
  dir: string,
  skip: ReadonlySet<string>,
  excluded: (rel: string, isDir: boolean) => boolean,
): AsyncGenerator<WalkEntry> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const path = join(dir, name);
    if (skip.has(path)) continue;
    const info = await lstat(path);
    const rel = relative(root, path).split(sep).join('/');
    if (excluded(rel, info.isDirectory())) continue;
    yield { path, rel, info };
    if (info.isDirectory()) yield* walk(root, path, skip, excluded);
  }
}

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

function addEntry(tar: Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    tar.entry(header, (err) => (err ? reject(err) : resolvePromise()));
  });
}

function addFile(tar: Pack, header: Omit<EntryHeader, 'type'>, source: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const entry = tar.entry({ ...header, type: 'file' }, (err) => (err ? reject(err) : resolvePromise()));
    // tar-stream's entry is a streamx Writable, which node's pipeline accepts at run time.
    pipeline(createReadStream(source), entry as unknown as NodeJS.WritableStream).catch(reject);
  });
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
